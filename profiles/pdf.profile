airlock-profile 1
# pdf: a PDF reader or converter (pdftotext, pdfinfo, mutool) on a document from the folder
# airlock was started in, read-only at /work. No network, no writes to the host: results go
# to standard output.
#   airlock run -p pdf -- pdftotext /work/doc.pdf -

include default
net none
memory 1G
pids 64
timeout 300
ro-bind-try /etc/fonts /etc/fonts
ro-bind ${CWD} /work
chdir /work
