# A one-page site served by Debian's nginx, for the learn test and bench (sourced).

NGINX=/usr/sbin/nginx

# nginx_site DIR: the page, configuration, pid, log and temporary files in DIR, listening on a
# free port of 127.0.0.1; sets D (DIR), P (the port) and NG (the nginx command line, without
# -g/daemon options). up: the page answers.
nginx_site() {
        D=$1
        mkdir -p "$D/html" "$D/run"
        P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
        head -c 3000 /dev/urandom | base64 >"$D/html/index.html"
        cat >"$D/nginx.conf" <<NGINXCONF
worker_processes 1;
pid $D/run/nginx.pid;
error_log $D/run/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $D/run/body;
    proxy_temp_path $D/run/proxy;
    fastcgi_temp_path $D/run/fastcgi;
    uwsgi_temp_path $D/run/uwsgi;
    scgi_temp_path $D/run/scgi;
    server {
        listen 127.0.0.1:$P;
        root $D/html;
    }
}
NGINXCONF
        NG="$NGINX -e $D/run/error.log -c $D/nginx.conf"
}

up() { curl -s -o /dev/null "http://127.0.0.1:$P/"; }

# nginx_require NAME: Debian's nginx and ab (scripts/deps.sh installs nginx-light and
# apache2-utils, as root); when they are still missing, fails check NAME and ends the script.
nginx_require() {
        if { [ ! -x "$NGINX" ] || ! command -v ab >/dev/null; } && is_root; then
                sh "$AIRLOCK_SRC/scripts/deps.sh" >/dev/null 2>&1
        fi
        if [ ! -x "$NGINX" ] || ! command -v ab >/dev/null; then
                fail "$1" "nginx or ab missing, and scripts/deps.sh could not install them"
                exit 0
        fi
}

# ab_load N CONCURRENCY URL OUT: ab's N requests, CONCURRENCY at once, its report in OUT;
# prints "complete failed non2xx".
ab_load() {
        ab -q -n "$1" -c "$2" "$3" >"$4" 2>&1
        awk '/^Complete requests/ {c=$3} /^Failed requests/ {f=$3} /^Non-2xx/ {n=$3}
                END {print c+0, f+0, n+0}' "$4"
}
