/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/socket-util.h"
#include "console.h"

int oci_console_connect(const char *path)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _cleanup_close_ int fd = -1;

        if (strlen(path) >= sizeof(sa.sun_path))
                return log_error_errno(-ENAMETOOLONG, "--console-socket %s: path too long", path);
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return log_error_errno(-errno, "cannot make a socket: %m");
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return log_error_errno(-errno, "cannot connect to the console socket %s: %m", path);
        return TAKE_FD(fd);
}

int oci_console_send(int sock, int master, unsigned width, unsigned height)
{
        /* runc sends the name of the master's device with it; consumers read only the fd */
        static const char name[] = "/dev/ptmx";

        if (width > 0 && height > 0) {
                struct winsize ws = {.ws_row = (unsigned short)height,
                                     .ws_col = (unsigned short)width};

                (void)ioctl(master, TIOCSWINSZ, &ws);
        }
        return send_with_fd(sock, name, sizeof(name) - 1, master);
}
