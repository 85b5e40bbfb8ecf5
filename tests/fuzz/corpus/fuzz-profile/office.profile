airlock-profile 1
# office: LibreOffice headless converts documents in the folder airlock was started in
# (${CWD}, seen as /work: the only host folder it can write). No network; macros cannot
# reach anything outside.
#   airlock run -p office -- soffice --headless --convert-to pdf --outdir /work /work/a.docx

include default
net none
memory 3G
pids 512
timeout 600
ro-bind-try /etc/fonts /etc/fonts
ro-bind-try /etc/libreoffice /etc/libreoffice
bind ${CWD} /work
chdir /work
env SAL_USE_VCLPLUGIN=svp
