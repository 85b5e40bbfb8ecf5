airlock-profile 1
# shell: an interactive or scripted shell with the ordinary tools of /usr, no network and a
# private, throw-away HOME. Nothing of the host home is visible.

include default
env TERM
env LANG
env COLUMNS
env LINES
chdir ${SANDBOX_HOME}
