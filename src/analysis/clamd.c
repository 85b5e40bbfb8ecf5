/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A clamd client: the INSTREAM command of clamd(8), over a unix socket or TCP on loopback. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "analysis-internal.h"
#include "basic/fileio.h"

#define CLAMD_CHUNK   (64 * 1024)
#define CLAMD_TIMEOUT 120

static int set_timeouts(int fd)
{
        struct timeval tv = {.tv_sec = CLAMD_TIMEOUT};

        if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
                return negative_errno();
        return 0;
}

/* A clamd that closes the connection early must not end the process with SIGPIPE. */
static int send_all(int fd, const void *buf, size_t len)
{
        const uint8_t *p = buf;

        while (len > 0) {
                ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static int clamd_connect(const char *address)
{
        _cleanup_close_ int fd = -1;

        if (startswith(address, "unix:")) {
                struct sockaddr_un sa = {.sun_family = AF_UNIX};
                const char *path = address + 5;
                if (strlen(path) >= sizeof(sa.sun_path))
                        return -ENAMETOOLONG;
                strcpy(sa.sun_path, path);
                fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (fd < 0 || set_timeouts(fd) < 0 ||
                    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                        return negative_errno();
                return TAKE_FD(fd);
        }
        if (startswith(address, "tcp:")) {
                _cleanup_free_ char *host = strdup(address + 4);
                char *colon = host ? strrchr(host, ':') : NULL;
                struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
                                         .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV};
                struct addrinfo *ai;
                int k;
                if (!host)
                        return -ENOMEM;
                if (!colon)
                        return -EINVAL;
                *colon = 0;
                if (host[0] == '[' && colon[-1] == ']') {
                        colon[-1] = 0;
                        memmove(host, host + 1, strlen(host));
                }
                k = getaddrinfo(host, colon + 1, &hints, &ai);
                if (k != 0)
                        return -EINVAL;
                fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (fd < 0 || set_timeouts(fd) < 0 ||
                    connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
                        k = negative_errno();
                        freeaddrinfo(ai);
                        return k;
                }
                freeaddrinfo(ai);
                return TAKE_FD(fd);
        }
        return -EINVAL;
}

/* Connects to clamd; on failure *ret_error names the address and the cause. */
static int clamd_open(const char *address, char **ret_error)
{
        int fd = clamd_connect(address);

        if (fd < 0 &&
            asprintf(ret_error, "cannot connect to clamd at %s: %s", address, strerror(-fd)) < 0)
                *ret_error = NULL;
        return fd;
}

/* Reads clamd's NUL-terminated reply into reply (size bytes, terminated). Returns its length. */
static size_t read_reply(int fd, char *reply, size_t size)
{
        size_t got = 0;
        ssize_t n;

        while (got < size - 1 && (n = read(fd, reply + got, size - 1 - got)) > 0) {
                got += (size_t)n;
                if (memchr(reply, 0, got))
                        break;
        }
        reply[got] = 0;
        return got;
}

int clamd_scan(const char *address, const void *data, size_t size, char **ret_virus,
               char **ret_error)
{
        _cleanup_close_ int fd = clamd_open(address, ret_error);
        char reply[1024];
        size_t got = 0;
        int k;

        if (fd < 0)
                return fd;
        k = send_all(fd, "zINSTREAM", 10);
        for (size_t off = 0; k >= 0 && off < size; off += CLAMD_CHUNK) {
                size_t len = size - off < CLAMD_CHUNK ? size - off : CLAMD_CHUNK;
                uint32_t be = htonl((uint32_t)len);
                k = send_all(fd, &be, 4);
                if (k >= 0)
                        k = send_all(fd, (const uint8_t *)data + off, len);
        }
        if (k >= 0) {
                uint32_t zero = 0;
                k = send_all(fd, &zero, 4);
        }
        if (k < 0) {
                if (asprintf(ret_error, "clamd at %s: %s", address, strerror(-k)) < 0)
                        *ret_error = NULL;
                return k;
        }
        got = read_reply(fd, reply, sizeof(reply));
        /* "stream: OK", "stream: NAME FOUND" or "... ERROR" */
        char *body = strstr(reply, "stream: ");
        body = body ? body + 8 : reply;
        body[strcspn(body, "\n")] = 0;
        if (streq(body, "OK")) {
                *ret_virus = NULL;
                return 0;
        }
        size_t len = strlen(body);
        if (len > 6 && streq(body + len - 6, " FOUND")) {
                *ret_virus = strndup(body, len - 6);
                return *ret_virus ? 0 : -ENOMEM;
        }
        if (asprintf(ret_error, "clamd at %s answered: %s", address, got ? body : "nothing") < 0)
                *ret_error = NULL;
        return -EIO;
}

int analysis_clamd_ping(const char *address, char **ret_error)
{
        _cleanup_close_ int fd = clamd_open(address, ret_error);
        char reply[64] = "";
        size_t got = 0;
        int k;

        if (fd < 0)
                return fd;
        k = send_all(fd, "zPING", 6);
        if (k >= 0)
                got = read_reply(fd, reply, sizeof(reply));
        if (k >= 0 && streq(reply, "PONG"))
                return 0;
        if (k >= 0)
                k = -EPROTO;
        if (asprintf(ret_error, "clamd at %s: %s", address,
                     got ? "answered PING with something other than PONG" : strerror(-k)) < 0)
                *ret_error = NULL;
        return k;
}

bool analysis_result_clamd_failed(const struct analysis_result *r)
{
        return r->limit && streq(r->limit, "clamd");
}
