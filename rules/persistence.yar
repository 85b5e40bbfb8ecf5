// Linux persistence written by a script: cron (T1053.003), systemd units (T1543.002), shell
// start-up files (T1546.004), SSH authorized_keys (T1098.004), /etc/ld.so.preload (T1574.006),
// /etc/rc.local (T1037.004).
// A write alone is suspicious (medium): installers do some of these too; a payload that is
// fetched or a reverse shell makes the file malicious through the other rules. Scripts only,
// and commands only: each pattern starts at the beginning of a line that is not a comment (an
// installation hint such as "# npm completion >> ~/.bashrc" is not a write).

rule linux_cron_persistence
{
    meta:
        severity = "medium"
        attack = "T1053.003"
        description = "a script that installs a cron job (a line piped into crontab -, or written into /etc/crontab, /etc/cron.d or the cron spool)"
    strings:
        $pipe = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}\|\s*crontab\s+(-u\s+\S+\s+)?-(\s|$|;|\))/
        $write = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>?|\btee\s+(-a\s+)?)\s*["']?\/etc\/(crontab\b|cron\.(d|hourly|daily|weekly|monthly)\/)/
        $spool = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>?|\btee\s+(-a\s+)?)\s*["']?\/var\/spool\/cron\//
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

rule linux_systemd_persistence
{
    meta:
        severity = "medium"
        attack = "T1543.002"
        description = "a script that writes a systemd unit and enables it"
    strings:
        $write = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>?|\btee\s+(-a\s+)?|\bcp\s+\S+\s+|\bmv\s+\S+\s+)\s*["']?(\/etc\/systemd\/system\/|\/lib\/systemd\/system\/|\/usr\/lib\/systemd\/system\/|(~|\$HOME|\$\{HOME\})\/\.config\/systemd\/user\/)[^\s"']*\.(service|timer)/
        $enable = /systemctl\s+(--user\s+)?(enable|daemon-reload\s*[;&\n]+\s*systemctl\s+(--user\s+)?enable)/
    condition:
        file_type != "document" and filesize < 4MB and $write and $enable
}

rule linux_shell_rc_persistence
{
    meta:
        severity = "medium"
        attack = "T1546.004"
        description = "a script that appends commands to a shell start-up file (.bashrc, .profile, /etc/profile)"
    strings:
        $append = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>|\btee\s+-a\s+)\s*["']?((~|\$HOME|\$\{HOME\}|\/root|\/home\/[^\/\s]+)\/\.(bashrc|bash_profile|bash_login|profile|zshrc|zprofile|bash_logout)|\/etc\/(profile|bash\.bashrc|zsh\/zshrc)\b|\/etc\/profile\.d\/)/
    condition:
        file_type != "document" and filesize < 4MB and $append
}

rule linux_authorized_keys_persistence
{
    meta:
        severity = "high"
        attack = "T1098.004"
        description = "a script that adds an SSH key to an authorized_keys file"
    strings:
        $append = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>|\btee\s+-a\s+)\s*["']?[^\s"';|&]{0,60}\/\.ssh\/authorized_keys2?\b/
        $key = /(echo|printf)\s+(["']%s\\n["']\s+)?["']?(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp[0-9]+)\s+AAAA/
        // a public key file appended to root's or a user's list (cat k.pub >> ~/.ssh/authorized_keys)
        $cat = /(^|\n)[ \t]*cat\s+[^\s|;&]{1,200}\.pub["']?\s*>>\s*["']?[^\s"';|&]{0,60}\/\.ssh\/authorized_keys2?\b/
    condition:
        file_type != "document" and filesize < 4MB and (($append and $key) or $cat)
}

rule linux_ld_preload_persistence
{
    meta:
        severity = "high"
        attack = "T1574.006"
        description = "a script that writes /etc/ld.so.preload, so that every program loads its library"
    strings:
        $write = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>?|\btee\s+(-a\s+)?|\bcp\s+\S+\s+|\bmv\s+\S+\s+)\s*["']?\/etc\/ld\.so\.preload\b/
        $py = /open\s*\(\s*["']\/etc\/ld\.so\.preload["']\s*,\s*["'][aw]/
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

rule linux_rc_local_persistence
{
    meta:
        severity = "medium"
        attack = "T1037.004"
        description = "a script that appends commands to /etc/rc.local, which runs them at every boot"
    strings:
        $append = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>|\btee\s+-a\s+)\s*["']?\/etc\/rc\.local\b/
        $sed = /(^|\n)[ \t]*sed\s+-i[^\n]{0,200}\/etc\/rc\.local\b/
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

// The same writes when the script keeps the target in a variable (path=/etc/ld.so.preload;
// echo "$lib" >> $path), as persistence frameworks do to offer several targets.
rule linux_persistence_through_variable
{
    meta:
        severity = "high"
        attack = "T1574.006,T1098.004"
        description = "a shell script that keeps /etc/ld.so.preload or an authorized_keys file in a variable and appends to it"
    strings:
        $var_preload = /(^|\n)[ \t]*(local\s+|export\s+|readonly\s+)?[a-z_][a-z0-9_]*=["']?\/etc\/ld\.so\.preload\b/ nocase
        $var_keys = /(^|\n)[ \t]*(local\s+|export\s+|readonly\s+)?[a-z_][a-z0-9_]*=["']?[^\s"';|&]{0,80}\/\.ssh\/authorized_keys2?["']?\s*(\n|;|$)/ nocase
        $append_var = /(^|\n)[ \t]*(echo|printf|cat)\s[^\n]{0,200}(>>|\btee\s+-a\s+)\s*["']?\$\{?[a-z_][a-z0-9_]*\}?["']?\s*(\n|;|&|$)/ nocase
        $keys_dir = /(^|\n)[ \t]*(echo|printf|cat)\s[^\n]{0,200}>>?\s*["']?\$\{?[a-z_][a-z0-9_]*\}?\/(\.ssh\/)?authorized_keys2?\b/ nocase
    condition:
        file_type != "document" and filesize < 4MB and ((($var_preload or $var_keys) and $append_var) or $keys_dir)
}

rule linux_root_account_backdoor
{
    meta:
        severity = "high"
        attack = "T1136.001,T1098"
        description = "a script that makes a second root account: a user given uid 0, or a passwd line with uid and gid 0 appended to /etc/passwd"
    strings:
        $usermod = /\b(usermod|useradd)\s[^\n]{0,100}-u\s*0\s[^\n]{0,40}-o\b|\b(usermod|useradd)\s[^\n]{0,100}-o\s[^\n]{0,40}-u\s*0\b/
        $passwd = /(echo|printf)\s+["'][^"'\n]{0,80}:[^:"'\n]{0,120}:0:0:[^"'\n]{0,200}["']\s*>>\s*["']?\/etc\/passwd\b/
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

rule linux_privilege_backdoor
{
    meta:
        severity = "high"
        attack = "T1548.003,T1548.001"
        description = "a script that grants root without a password: a NOPASSWD ALL sudoers line, a polkit rule that allows everything, or cap_setuid on a program"
    strings:
        $sudo = /(echo|printf)\s+["'][^"'\n]{0,80}ALL\s*=\s*\(ALL(:ALL)?\)\s*NOPASSWD:\s*ALL["']\s*(>>?|\|\s*(sudo\s+)?tee\s+(-a\s+)?)\s*["']?\/etc\/sudoers/
        $polkit = /return\s+polkit\.Result\.YES\s*;/
        $polkit_any = /(^|\n)\s*ResultAny\s*=\s*yes\b/
        $setcap = /\bsetcap\s+["']?cap_set(uid|gid)[+=]e?p/ nocase
        $setcap_var = /\$\{?[a-z_]*setcap\}?\s+["']?cap_set(uid|gid)[+=]e?p/ nocase
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

rule linux_systemd_generator_persistence
{
    meta:
        severity = "high"
        attack = "T1543.002"
        description = "a script that writes a systemd generator (run as root at every boot and daemon-reload, before any unit)"
    strings:
        $write = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}(>>?|\btee\s+(-a\s+)?|\bcp\s+\S+\s+|\bmv\s+\S+\s+)\s*["']?(\/usr)?(\/lib|\/etc|\/run|\/usr\/local\/lib)\/systemd\/(system|user)-generators\//
    condition:
        file_type != "document" and filesize < 4MB and $write
}

rule linux_package_manager_hook
{
    meta:
        severity = "high"
        attack = "T1546.016"
        description = "a script that installs a package-manager hook (APT Pre/Post-Invoke, a yum or dnf plugin) that runs a shell or a network command"
    strings:
        $apt = /(APT::Update|DPkg|APT::Install)::(Pre|Post)-Invoke(-Success)?[^\n]{0,40}\{[^\n]{0,300}(\/dev\/(tcp|udp)\/|\bnc\s|\bncat\s|bash\s+-[ic]|\bsh\s+-c|python[0-9.]*\s+-c|\bcurl\s|\bwget\s|setsid|nohup)/
        $yum = /(>>?|\btee\s+(-a\s+)?)\s*["']?\/usr\/lib\/yum-plugins\/[^\s"']+\.py/
        $dnf = /(>>?|\btee\s+(-a\s+)?)\s*["']?[^\s"']{0,80}\/dnf-plugins\/[^\s"']+\.py/
        $run = /os\.(system|popen)\s*\(|subprocess\./
    condition:
        file_type != "document" and filesize < 4MB and ($apt or (($yum or $dnf) and $run))
}

rule linux_pam_backdoor
{
    meta:
        severity = "high"
        attack = "T1556.003"
        description = "a script that replaces pam_unix.so or edits pam_unix's source, or adds a pam_exec line to /etc/pam.d (a PAM backdoor)"
    strings:
        $src = /pam_unix\/pam_unix_auth\.c/
        $replace = /(\bmv|\bcp|\binstall)\s+(-f\s+)?[^\n]{0,120}pam_unix\.so["']?\s+["']?[^\n]{0,120}(\/security|\$[a-z_]*dir|\$\{?[a-z_]*dir)/ nocase
        $exec = /(^|\n)[ \t]*[^#\n \t][^#\n]{0,200}pam_exec\.so[^\n]{0,200}(>>?|\btee\s+(-a\s+)?)\s*["']?\/etc\/pam\.d\//
    condition:
        file_type != "document" and filesize < 4MB and (($src and $replace) or $exec)
}

rule linux_suid_shell
{
    meta:
        severity = "high"
        attack = "T1548.001"
        description = "a script that sets the SUID bit on a shell or an interpreter (a root shell for anyone)"
    strings:
        $direct = /chmod\s+(u\+s|[0-7]?[4-7][0-7]{3})\s+["']?(\/usr)?\/(s?bin)\/(bash|dash|sh|zsh|find|python[0-9.]*|perl|ruby|vim?|env|nmap|awk|less|more|cp)\b/
        $var = /chmod\s+(u\+s|[0-7]?[4-7][0-7]{3})\s+["']?\$/
        $list = /["'](find|dash|bash|python[0-9.]*|perl|vim|env|nmap)["'][ \t]+["'](find|dash|bash|python[0-9.]*|perl|vim|env|nmap)["']/
    condition:
        file_type != "document" and filesize < 4MB and ($direct or ($var and $list))
}

rule linux_kernel_rootkit_load
{
    meta:
        severity = "high"
        attack = "T1547.006,T1014"
        description = "a script that builds and loads a kernel module that hooks kill or hides processes and modules (an LKM rootkit)"
    strings:
        $load = /\b(insmod|modprobe)\s+[^\n]{0,120}\.ko\b/
        $build = /\/lib\/modules\/\$\(uname\s+-r\)\/build/
        $hide1 = /hacked_(kill|getdents)|orig_(kill|getdents)|module_hide|hide_module/
        $hide2 = /kill\s+-(31|63|64)\b/
    condition:
        file_type != "document" and filesize < 4MB and $load and $build and any of ($hide*)
}

// Session 19 (issue #16): the two-step forms of the same writes.

// A cron line appended to a file that crontab then installs (crontab -l > f; echo "@reboot x"
// >> f; crontab f), as backdoor kits and miner installers do instead of piping into crontab -.
rule linux_cron_file_persistence
{
    meta:
        severity = "medium"
        attack = "T1053.003"
        description = "a script that appends a cron line to a file and installs that file with crontab"
    strings:
        $same_line = />>\s*["']?[^\s;&|"']{1,80}["']?\s*(&&|;)\s*crontab\s+(-u\s+\S+\s+)?[^-\s|;&'"]/
        $next_lines = /(@reboot|@hourly|@daily|\*\/[0-9]+\s+\*|\*\s+\*\s+\*\s+\*\s+\*)[^\n]{0,300}>>\s*["']?[^\s;&|"']{1,80}[^\n]{0,60}\n([^\n]{0,200}\n){0,3}[ \t]*[^#\n]{0,60}\bcrontab\s+(-u\s+\S+\s+)?[^-\s|;&'"]/
    condition:
        file_type != "document" and filesize < 4MB and any of them
}

// An init script written into /etc/init.d and registered to run at boot, by a script that also
// holds a network shell or a fetched payload (hardening and service installers write init
// scripts too: the write alone is no evidence).
rule linux_initd_persistence
{
    meta:
        severity = "medium"
        attack = "T1037,T1543"
        description = "a script with a network shell or a fetched payload that writes an init script into /etc/init.d and registers it to run at boot (update-rc.d, chkconfig, rc-update)"
    strings:
        $payload = /\/dev\/(tcp|udp)\/|\bsocat\s[^\n]{0,80}\bexec:|\bmkfifo\s|\b(curl|wget)\s[^\n|]{0,200}\|\s*(ba|da)?sh\b|base64\s+(-d|--decode)[^\n]{0,40}\|\s*(ba|da)?sh\b/
        $write = /(>>?|\btee\s+(-a\s+)?|\bcp\s+(-f\s+)?\S+\s+|\bmv\s+(-f\s+)?\S+\s+|\binstall\s+[^\n]{0,40}\s)\s*["']?\/etc\/init\.d\/?/
        $enable = /\b(update-rc\.d\s+\S+\s+(defaults|enable)|chkconfig\s+--add\s|chkconfig\s+\S+\s+on\b|rc-update\s+add\s)/
    condition:
        file_type != "document" and filesize < 4MB and $write and $enable and $payload
}

// A udev rule written by a script whose RUN+= starts a shell, a network tool or a program in a
// temporary or hidden folder (device set-up rules start a vendor's helper, not those).
rule linux_udev_persistence
{
    meta:
        severity = "high"
        attack = "T1546.017"
        description = "a script that writes a udev rule whose RUN+= starts a shell, a network tool or a program from a temporary or hidden folder"
    strings:
        $run = /RUN\+=\s*\\?["'][^"'\n]{0,200}(\/tmp\/|\/dev\/shm\/|\/var\/tmp\/|\/\.[a-z0-9_]|\/dev\/(tcp|udp)\/|\bnc\s|\bncat\s|\bsocat\s|\bcurl\s|\bwget\s|\b(ba)?sh\s+-c\b)/
        $dest = /(>>?|\btee\s+(-a\s+)?|\bcp\s+\S+\s+|\bmv\s+\S+\s+)\s*["']?(\/etc|\/lib|\/usr\/lib|\/run)\/udev\/rules\.d\//
    condition:
        file_type != "document" and filesize < 4MB and $run and $dest
}

// An at job whose command is a network shell or a fetched program.
rule linux_at_job_persistence
{
    meta:
        severity = "medium"
        attack = "T1053.002"
        description = "a script that schedules an at job running a network shell or a fetched program"
    strings:
        // anchored on the payload, the rarer text: the quoted command piped into at
        $at = /(\/dev\/(tcp|udp)\/|\bcurl\s|\bwget\s|\/dev\/shm\/|\bsh\s+-i\b)[^\n]{0,200}["']\s*\|\s*at\s+(now|midnight|noon|teatime|tomorrow|[0-9])/
    condition:
        file_type != "document" and filesize < 4MB and $at
}
