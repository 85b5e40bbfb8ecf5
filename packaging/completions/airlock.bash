# bash completion for airlock(1). Options are read from each command's own --help, so that
# they are never out of date; profile names from "airlock profile list".
_airlock_options()
{
        "$1" "${@:2}" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' |
                sed 's/^[ ,]*//' | sort -u
}

_airlock()
{
        local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
        local airlock=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} i
        local cmds="run learn analyze mail milter watch open quarantine inspect profile"

        COMPREPLY=()
        if [ "$COMP_CWORD" -eq 1 ]; then
                COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
                return
        fi
        # After "--" (run) or the command's name (run, open --): complete the command itself.
        for ((i = 2; i < COMP_CWORD; i++)); do
                if [ "${COMP_WORDS[i]}" = "--" ]; then
                        if [ $((i + 1)) -eq "$COMP_CWORD" ]; then
                                COMPREPLY=($(compgen -c -- "$cur"))
                        else
                                COMPREPLY=($(compgen -f -- "$cur"))
                        fi
                        return
                fi
        done
        case $prev in
        -p | --profile | --include)
                COMPREPLY=($(compgen -W "$("$airlock" profile list 2>/dev/null |
                        awk 'NR > 1 { print $1 }')" -- "$cur"))
                return ;;
        --net) COMPREPLY=($(compgen -W "none host sinkhole" -- "$cur")); return ;;
        --display) COMPREPLY=($(compgen -W "wayland x11 none" -- "$cur")); return ;;
        --memory-rlimit) COMPREPLY=($(compgen -W "as data" -- "$cur")); return ;;
        --require) COMPREPLY=($(compgen -W "landlock seccomp cgroup" -- "$cur")); return ;;
        --seccomp-mode) COMPREPLY=($(compgen -W "denylist allowlist" -- "$cur")); return ;;
        --format) COMPREPLY=($(compgen -W "oci-seccomp k8s-seccompprofile systemd minijail" -- "$cur")); return ;;
        --chdir | --rules | --quarantine | --store | --release-to | --gate)
                COMPREPLY=($(compgen -d -- "$cur")); return ;;
        esac
        case $cmd in
        profile)
                if [ "$COMP_CWORD" -eq 2 ]; then
                        COMPREPLY=($(compgen -W "list show lint syscalls export" -- "$cur"))
                elif [ "$COMP_CWORD" -eq 3 ] && [[ $cur != -* ]]; then
                        COMPREPLY=($(compgen -W "$("$airlock" profile list 2>/dev/null |
                                awk 'NR > 1 { print $1 }')" -- "$cur") $(compgen -f -- "$cur"))
                fi
                return ;;
        mail)
                if [ "$COMP_CWORD" -eq 2 ]; then
                        COMPREPLY=($(compgen -W "scan" -- "$cur"))
                        return
                fi ;;
        quarantine)
                local w
                for w in "${COMP_WORDS[@]:2:COMP_CWORD-2}"; do
                        case $w in list | show | restore | delete) w=found; break ;; esac
                done
                if [ "$w" != found ] && [[ $cur != -* ]]; then
                        COMPREPLY=($(compgen -W "list show restore delete" -- "$cur"))
                        return
                fi ;;
        inspect)
                if [[ $cur != -* ]]; then
                        COMPREPLY=($(compgen -W "$(ps -eo pid= 2>/dev/null)" -- "$cur"))
                        return
                fi ;;
        esac
        if [[ $cur == -* ]]; then
                case $cmd in
                mail) COMPREPLY=($(compgen -W "$(_airlock_options "$airlock" mail scan)" -- "$cur")) ;;
                *) COMPREPLY=($(compgen -W "$(_airlock_options "$airlock" "$cmd")" -- "$cur")) ;;
                esac
                return
        fi
        COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _airlock airlock
