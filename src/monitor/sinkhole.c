/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --net sinkhole: inside the sandbox's own network namespace (never anywhere else), a DNS
 * responder that answers every name with 127.0.0.1 and TCP listeners that capture the first
 * bytes of each connection (HTTP request line and Host, TLS SNI). A local route for 0.0.0.0/0
 * on lo makes every IPv4 destination local, so connections to any address land on the
 * listeners and nothing can leave the namespace (it has no other interface).
 *
 * A helper process forked from the supervisor joins the sandbox's user and network
 * namespaces (as their owner it holds every capability there), serves, and writes one record
 * per line to a pipe that the supervisor reads when the run ends. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "basic/log.h"
#include "monitor-internal.h"

static const uint16_t tcp_ports[] = {21,   22,   23,   25,   80,   110,  143,  443,
                                     445,  587,  993,  995,  1337, 3389, 4444, 5555,
                                     6667, 8000, 8080, 8443, 8888, 9001};

#define MAX_LISTENERS (ELEMENTSOF(tcp_ports) + 1)
#define FIRST_BYTES   512

/* ip route add local 0.0.0.0/0 dev lo table local */
static int route_everything_local(void)
{
        struct {
                struct nlmsghdr nh;
                struct rtmsg rt;
                char attrs[64];
        } req = {0};
        struct rtattr *rta;
        unsigned ifindex = if_nametoindex("lo");
        _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        char buf[512];
        struct nlmsghdr *ack;
        ssize_t n;

        if (fd < 0 || ifindex == 0)
                return -errno;
        req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
        req.nh.nlmsg_type = RTM_NEWROUTE;
        req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK;
        req.rt.rtm_family = AF_INET;
        req.rt.rtm_table = RT_TABLE_LOCAL;
        req.rt.rtm_protocol = RTPROT_BOOT;
        req.rt.rtm_scope = RT_SCOPE_HOST;
        req.rt.rtm_type = RTN_LOCAL;
        rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
        rta->rta_type = RTA_OIF;
        rta->rta_len = RTA_LENGTH(sizeof(ifindex));
        memcpy(RTA_DATA(rta), &ifindex, sizeof(ifindex));
        req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
        if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
                return -errno;
        n = recv(fd, buf, sizeof(buf), 0);
        if (n < (ssize_t)sizeof(struct nlmsghdr))
                return -EIO;
        ack = (struct nlmsghdr *)buf;
        if (ack->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *e = NLMSG_DATA(ack);

                return e->error;
        }
        return 0;
}

static int listen_on(int type, uint16_t port)
{
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
        int one = 1, fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

        if (fd < 0)
                return -1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            (type == SOCK_STREAM && listen(fd, 64) < 0)) {
                close(fd);
                return -1;
        }
        return fd;
}

/* Printable text for the report: bytes outside 0x20..0x7e become \xNN. */
static void escape_bytes(const uint8_t *b, size_t n, char *out, size_t size)
{
        size_t o = 0;

        for (size_t i = 0; i < n && o + 5 < size; i++) {
                if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
                        out[o++] = (char)b[i];
                else
                        o += (size_t)snprintf(out + o, size - o, "\\x%02x", b[i]);
        }
        out[o] = 0;
}

static void emit(int out, uint64_t start, const char *kind, const char *name, const char *url,
                 const char *addr, int port, const char *bytes)
{
        struct json_object *o = json_object_new_object();
        const char *text;

        json_object_object_add(o, "t",
                               json_object_new_int64((int64_t)(monitor_now_usec() - start)));
        json_object_object_add(o, "kind", json_object_new_string(kind));
        if (name)
                json_object_object_add(o, "name", json_object_new_string(name));
        if (url)
                json_object_object_add(o, "url", json_object_new_string(url));
        if (addr)
                json_object_object_add(o, "addr", json_object_new_string(addr));
        json_object_object_add(o, "port", json_object_new_int(port));
        if (bytes)
                json_object_object_add(o, "bytes", json_object_new_string(bytes));
        text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        /* the pipe is non-blocking: when the supervisor is slow a record is lost, never the
         * sandbox stalled */
        if (write(out, text, strlen(text)) > 0)
                (void)!write(out, "\n", 1);
        json_object_put(o);
}

/* The name asked in a DNS query, dotted; *ret_end is the offset after QTYPE/QCLASS. */
static int dns_name(const uint8_t *q, size_t n, char *name, size_t size, size_t *ret_end,
                    uint16_t *ret_type)
{
        size_t i = 12, o = 0;

        while (i < n && q[i] != 0) {
                size_t len = q[i++];

                if (len > 63 || i + len > n || o + len + 2 > size)
                        return -EINVAL;
                if (o)
                        name[o++] = '.';
                for (size_t k = 0; k < len; k++)
                        name[o++] = (q[i + k] >= 0x21 && q[i + k] < 0x7f) ? (char)q[i + k] : '?';
                i += len;
        }
        name[o] = 0;
        if (i + 5 > n)
                return -EINVAL;
        *ret_type = (uint16_t)(q[i + 1] << 8 | q[i + 2]);
        *ret_end = i + 5;
        return 0;
}

static void serve_dns(int fd, int out, uint64_t start)
{
        uint8_t q[512], a[600];
        struct sockaddr_in from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
        char name[256];
        size_t end;
        uint16_t type;
        bool answer;

        if (n < 12 || dns_name(q, (size_t)n, name, sizeof(name), &end, &type) < 0)
                return;
        emit(out, start, "dns", name, NULL, NULL, 53, NULL);
        answer = type == 1; /* A: 127.0.0.1; AAAA and others: no answer, clients fall back */
        memcpy(a, q, end);
        a[2] = 0x81;
        a[3] = 0x80; /* response, recursion desired and available, no error */
        a[6] = 0;
        a[7] = answer ? 1 : 0;
        memset(a + 8, 0, 4);
        if (answer) {
                static const uint8_t rr[] = {0xc0, 0x0c, 0, 1, 0,   1, 0, 0,
                                             0,    60,   0, 4, 127, 0, 0, 1};

                memcpy(a + end, rr, sizeof(rr));
                end += sizeof(rr);
        }
        (void)!sendto(fd, a, end, 0, (struct sockaddr *)&from, fl);
}

/* The server name of a TLS ClientHello, or NULL. */
static bool tls_sni(const uint8_t *b, size_t n, char *out, size_t size)
{
        size_t i = 5 + 4 + 2 + 32; /* record, handshake header, version, random */

        if (n < i + 1 || b[0] != 0x16 || b[5] != 0x01)
                return false;
        i += 1 + b[i]; /* session id */
        if (i + 2 > n)
                return false;
        i += 2 + (size_t)(b[i] << 8 | b[i + 1]); /* cipher suites */
        if (i + 1 > n)
                return false;
        i += 1 + b[i]; /* compression methods */
        if (i + 2 > n)
                return false;
        i += 2; /* extensions length */
        while (i + 4 <= n) {
                size_t type = (size_t)(b[i] << 8 | b[i + 1]),
                       len = (size_t)(b[i + 2] << 8 | b[i + 3]);

                i += 4;
                if (type == 0 && i + 5 <= n) { /* server_name: list len, type, name len */
                        size_t l = (size_t)(b[i + 3] << 8 | b[i + 4]);

                        if (i + 5 + l > n || l + 1 > size)
                                return false;
                        memcpy(out, b + i + 5, l);
                        out[l] = 0;
                        return true;
                }
                i += len;
        }
        return false;
}

static void serve_tcp(int lfd, int out, uint64_t start)
{
        struct sockaddr_in local;
        socklen_t ll = sizeof(local);
        _cleanup_close_ int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        uint8_t buf[FIRST_BYTES];
        char addr[INET_ADDRSTRLEN] = "", text[FIRST_BYTES * 4 + 1], name[256], line[512];
        struct pollfd p = {.fd = c, .events = POLLIN};
        ssize_t n = 0;
        int port = 0;

        if (c < 0)
                return;
        if (getsockname(c, (struct sockaddr *)&local, &ll) == 0) {
                inet_ntop(AF_INET, &local.sin_addr, addr, sizeof(addr));
                port = ntohs(local.sin_port);
        }
        if (poll(&p, 1, 1000) > 0)
                n = recv(c, buf, sizeof(buf), 0);
        if (n < 0)
                n = 0;
        /* a short prefix is enough to recognise a protocol; the rest would swell the report */
        escape_bytes(buf, (size_t)n < 160 ? (size_t)n : 160, text, sizeof(text));
        if (tls_sni(buf, (size_t)n, name, sizeof(name))) {
                emit(out, start, "tls", name, NULL, addr, port, text);
                return;
        }
        if (n > 4 && memchr(buf, '\n', (size_t)n) &&
            (memcmp(buf, "GET ", 4) == 0 || memcmp(buf, "POST", 4) == 0 ||
             memcmp(buf, "HEAD", 4) == 0 || memcmp(buf, "PUT ", 4) == 0)) {
                const char *host = NULL, *h;
                size_t l = (size_t)((uint8_t *)memchr(buf, '\n', (size_t)n) - buf);

                snprintf(line, sizeof(line), "%.*s", (int)(l > 0 && buf[l - 1] == '\r' ? l - 1 : l),
                         (const char *)buf);
                buf[n < FIRST_BYTES ? n : FIRST_BYTES - 1] = 0;
                h = strcasestr((const char *)buf, "\nHost:");
                if (h) {
                        h += 6;
                        while (*h == ' ')
                                h++;
                        snprintf(name, sizeof(name), "%.*s", (int)strcspn(h, "\r\n"), h);
                        host = name;
                }
                emit(out, start, "http", host, line, addr, port, text);
                static const char reply[] =
                        "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

                (void)!send(c, reply, sizeof(reply) - 1, MSG_NOSIGNAL);
                return;
        }
        emit(out, start, "tcp", NULL, NULL, addr, port, text);
}

/* The helper parses what the program sends: once its sockets are bound it becomes no more
 * than the program's own user inside the sandbox's mount namespace, without capabilities. */
static int drop_to_sandbox_user(const char *home)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[2] = {0};
        struct stat st;

        if (stat(home, &st) < 0)
                return -errno;
        for (int cap = 0; cap <= 63; cap++) /* while CAP_SETPCAP is still held */
                (void)prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
        (void)setgroups(0, NULL); /* refused where the user namespace denies setgroups */
        if (setresgid(st.st_gid, st.st_gid, st.st_gid) < 0 ||
            setresuid(st.st_uid, st.st_uid, st.st_uid) < 0)
                return -errno;
        if (syscall(SYS_capset, &hdr, data) < 0)
                return -errno;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return -errno;
        return 0;
}

_noreturn_ static void helper_main(const int ns[3], int out, uint64_t start, const char *home,
                                   pid_t parent)
{
        struct pollfd pfd[MAX_LISTENERS + 1];
        size_t n = 0;

        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) /* the supervisor died before the line above */
                _exit(1);
        /* Nothing of the supervisor's (the listener, the areas' fds) goes into the sandbox's
         * namespaces with us. */
        for (int fd = 3; fd < 4096; fd++)
                if (fd != ns[0] && fd != ns[1] && fd != ns[2] && fd != out)
                        close(fd);
        if (setns(ns[0], CLONE_NEWUSER) < 0 || setns(ns[1], CLONE_NEWNET) < 0 ||
            setns(ns[2], CLONE_NEWNS) < 0)
                _exit(1);
        for (int i = 0; i < 3; i++)
                close(ns[i]);
        (void)route_everything_local();
        pfd[n].fd = listen_on(SOCK_DGRAM, 53);
        pfd[n++].events = POLLIN;
        for (size_t i = 0; i < ELEMENTSOF(tcp_ports); i++) {
                pfd[n].fd = listen_on(SOCK_STREAM, tcp_ports[i]);
                pfd[n++].events = POLLIN;
        }
        if (drop_to_sandbox_user(home) < 0)
                _exit(1);
        /* The change of user cleared the parent-death signal (the kernel does so on any change
         * of credentials): set it again. And should it still miss (a supervisor killed between
         * the two), the end of the pipe to the supervisor says it is gone: a helper that
         * outlived its supervisor was seen idle an hour later. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
                _exit(1);
        pfd[n].fd = out;
        pfd[n++].events = 0; /* POLLERR once the supervisor's read end is closed */
        /* tell the supervisor we are ready: the program may not run before */
        (void)!write(out, "ready\n", 6);
        for (;;) {
                if (poll(pfd, n, -1) < 0)
                        continue;
                if (pfd[n - 1].revents & (POLLERR | POLLHUP | POLLNVAL))
                        _exit(0);
                for (size_t i = 0; i + 1 < n; i++) {
                        if (!(pfd[i].revents & POLLIN))
                                continue;
                        if (i == 0)
                                serve_dns(pfd[i].fd, out, start);
                        else
                                serve_tcp(pfd[i].fd, out, start);
                }
        }
}

int sinkhole_start(struct monitor *m)
{
        static const char *const names[3] = {"user", "net", "mnt"};
        char path[64], ready[8];
        int ns[3] = {-1, -1, -1}, pipefd[2], r = 0;
        struct pollfd p;
        pid_t pid;

        for (int i = 0; i < 3; i++) {
                snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)m->child, names[i]);
                ns[i] = open(path, O_RDONLY | O_CLOEXEC);
                if (ns[i] < 0)
                        r = negative_errno();
        }
        if (r < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
                r = r < 0 ? r : negative_errno();
                for (int i = 0; i < 3; i++)
                        safe_close(ns[i]);
                return r;
        }
        (void)fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
        (void)fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
        pid_t self = getpid();
        pid = fork();
        if (pid == 0) {
                close(pipefd[0]);
                helper_main(ns, pipefd[1], m->start_usec, m->home, self);
        }
        r = pid < 0 ? negative_errno() : 0;
        for (int i = 0; i < 3; i++)
                safe_close(ns[i]);
        close(pipefd[1]);
        if (r < 0) {
                close(pipefd[0]);
                return r;
        }
        m->sinkhole_pid = pid;
        m->sinkhole_fd = pipefd[0];
        p = (struct pollfd){.fd = pipefd[0], .events = POLLIN};
        if (poll(&p, 1, 5000) <= 0 || read(pipefd[0], ready, 6) != 6 || memcmp(ready, "ready\n", 6))
                return -EIO;
        (void)fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
        return 0;
}

static int add_record(struct monitor *m, const char *line)
{
        struct json_object *o = json_tokener_parse(line), *v;
        struct net_record *r;

        if (!o)
                return 0;
        if (grow_array((void **)&m->net, &m->cap_net, m->n_net, sizeof(*r)) < 0) {
                json_object_put(o);
                return -ENOMEM;
        }
        r = &m->net[m->n_net++];
        *r = (struct net_record){.port = -1};
#define STR(key, field)                            \
        if (json_object_object_get_ex(o, key, &v)) \
                r->field = strdup(json_object_get_string(v));
        STR("kind", kind);
        STR("name", name);
        STR("url", url);
        STR("addr", addr);
        STR("bytes", bytes);
#undef STR
        if (json_object_object_get_ex(o, "t", &v))
                r->time_usec = (uint64_t)json_object_get_int64(v);
        if (json_object_object_get_ex(o, "port", &v))
                r->port = json_object_get_int(v);
        json_object_put(o);
        return 0;
}

int sinkhole_collect(struct monitor *m)
{
        _cleanup_free_ char *all = NULL;
        size_t len = 0, cap = 0;
        char buf[65536];
        ssize_t n;

        if (m->sinkhole_pid > 0) {
                /* let the listeners finish what the program sent last */
                usleep(50000);
                kill(m->sinkhole_pid, SIGKILL);
                (void)waitpid(m->sinkhole_pid, NULL, 0);
                m->sinkhole_pid = 0;
        }
        while ((n = read(m->sinkhole_fd, buf, sizeof(buf))) > 0) {
                if (len + (size_t)n + 1 > cap) {
                        char *p = realloc(all, cap = (len + (size_t)n + 1) * 2);

                        if (!p)
                                return -ENOMEM;
                        all = p;
                }
                memcpy(all + len, buf, (size_t)n);
                len += (size_t)n;
        }
        m->sinkhole_fd = safe_close(m->sinkhole_fd);
        if (!all)
                return 0;
        all[len] = 0;
        for (char *line = all, *nl; *line; line = nl + 1) {
                nl = strchr(line, '\n');
                if (!nl)
                        break;
                *nl = 0;
                if (add_record(m, line) < 0)
                        return -ENOMEM;
        }
        return 0;
}

void net_record_done(struct net_record *r)
{
        free(r->kind);
        free(r->name);
        free(r->url);
        free(r->addr);
        free(r->bytes);
}

struct json_object *net_record_to_json(const struct net_record *r)
{
        struct json_object *o = json_object_new_object();

        json_object_object_add(o, "time", json_object_new_double((double)r->time_usec / 1e6));
        json_object_object_add(o, "kind", json_object_new_string(r->kind ? r->kind : "tcp"));
        if (r->name)
                json_object_object_add(o, "name", json_object_new_string(r->name));
        if (r->url)
                json_object_object_add(o, "request", json_object_new_string(r->url));
        if (r->addr)
                json_object_object_add(o, "address", json_object_new_string(r->addr));
        if (r->port > 0)
                json_object_object_add(o, "port", json_object_new_int(r->port));
        if (r->bytes)
                json_object_object_add(o, "first_bytes", json_object_new_string(r->bytes));
        return o;
}
