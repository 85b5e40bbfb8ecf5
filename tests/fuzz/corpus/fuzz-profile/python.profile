airlock-profile 1
# python: runs an untrusted Python script. No network, no host files except the system view,
# no writes that outlive the sandbox; the script is passed in with --ro-bind.
#   airlock run -p python --ro-bind ./script.py /work/script.py -- python3 /work/script.py

include default
net none
memory 2G
pids 256
env PYTHONDONTWRITEBYTECODE=1
env PYTHONNOUSERSITE=1
env PYTHONHASHSEED=random
unsetenv PYTHONPATH
unsetenv PYTHONSTARTUP
dir /work
chdir /work
