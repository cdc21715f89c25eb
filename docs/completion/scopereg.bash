# bash completion for scopereg                                -*- shell-script -*-
#
# Installed as share/bash-completion/completions/scopereg. The commands and
# their options are read from the scopereg being completed ('scopereg
# --help' and 'scopereg help COMMAND'), so a command or an option added to
# the program is completed without touching this file; option arguments
# (kinds, encodings, roles, key files) and item ids are completed here.

# Prints the commands, one per line.
_scopereg_commands()
{
    "$1" --help 2>/dev/null |
        sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p'
}

# Prints the options of a command, one per line, from its usage lines.
_scopereg_options()
{
    "$1" help "$2" 2>/dev/null |
        sed -n '1,/^$/p' | sed 's/\[-R FILE\]//' |
        grep -o -e '--[a-z][a-z-]*' -e '\(^\|[[ (|]\)-[a-zA-Z]\b' |
        sed 's/^[[ (|]//' | sort -u
}

# Prints the ids of the items in scope of the latest version.
_scopereg_ids()
{
    local prog=$1
    shift
    "$prog" "$@" export-csv 2>/dev/null | sed -n '2,$s/^"\{0,1\}\([^,"]*\).*/\1/p'
}

_scopereg()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local prog=${words[0]} reg=() cmd="" cmd_at=0 i

    # Global options come before the command.
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -R | --register)
            reg=(-R "${words[i + 1]}")
            ((i++))
            ;;
        --register=*) reg=(-R "${words[i]#--register=}") ;;
        -*) ;;
        *)
            cmd=${words[i]}
            cmd_at=$i
            break
            ;;
        esac
    done

    if [ -z "$cmd" ]; then
        case $prev in
        -R | --register)
            _scopereg_files '@(db|sqlite|sqlite3)'
            return
            ;;
        esac
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W '-R --register --help --version' -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$(_scopereg_commands "$prog")" -- "$cur")
        fi
        return
    fi

    # Arguments of options.
    case $prev in
    --kind)
        mapfile -t COMPREPLY < <(compgen -W 'workstation server os software network printer vpn other' -- "$cur")
        return
        ;;
    --encoding)
        mapfile -t COMPREPLY < <(compgen -W 'utf-8 windows-1252 latin1' -- "$cur")
        return
        ;;
    --role)
        mapfile -t COMPREPLY < <(compgen -W 'provider client' -- "$cur")
        return
        ;;
    --lang)
        mapfile -t COMPREPLY < <(compgen -W 'fr de it en' -- "$cur")
        return
        ;;
    --delimiter)
        mapfile -t COMPREPLY < <(compgen -W ", ';' tab" -- "$cur")
        return
        ;;
    --provider-key | --client-key)
        _scopereg_files pub
        return
        ;;
    --key | -k)
        if [ "$cmd" = rekey ]; then _scopereg_files pub; else _scopereg_files key; fi
        return
        ;;
    --documents | --proof)
        _scopereg_dirs
        return
        ;;
    -o | --output)
        if [ "$cmd" = export ] || [ "$cmd" = evidence ] || [ "$cmd" = prove ]; then _scopereg_dirs; else _scopereg_files; fi
        return
        ;;
    --passphrase-file)
        _scopereg_files
        return
        ;;
    --unset)
        return
        ;;
    -m | --message | --author | --name | --reason | --contract | --provider | --client | --map | --set | \
        --source | --map-kind | --fill-down | --where | --header-row | --save-profile)
        return
        ;;
    --profile)
        if [ "$cmd" = import ]; then
            mapfile -t COMPREPLY < <(compgen -W "$("$prog" "${reg[@]}" import --list-profiles 2>/dev/null |
                sed -n 's/^\([A-Za-z0-9._-]*\): .*/\1/p')" -- "$cur")
        fi
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_scopereg_options "$prog" "$cmd") --help" -- "$cur")
        return
    fi

    # Positional arguments.
    local npos=0
    for ((i = cmd_at + 1; i < cword; i++)); do
        case ${words[i]} in
        --kind | --encoding | --role | --lang | --delimiter | --provider-key | --client-key | --key | -k | \
            --documents | -o | --output | --passphrase-file | --unset | -m | --message | --author | \
            --name | --reason | --contract | --provider | --client | --map | --set | --source | \
            --map-kind | --fill-down | --where | --header-row | --save-profile | --profile)
            ((i++))
            ;;
        -*) ;;
        *) ((npos++)) ;;
        esac
    done
    case $cmd in
    help)
        [ $npos -eq 0 ] &&
            mapfile -t COMPREPLY < <(compgen -W "$(_scopereg_commands "$prog")" -- "$cur")
        ;;
    import) _scopereg_files '@(csv|CSV|txt|tsv)' ;;
    attach) _scopereg_files minisig ;;
    cosign) _scopereg_files scope ;;
    edit | remove | reset | history)
        [ $npos -eq 0 ] &&
            mapfile -t COMPREPLY < <(compgen -W "$(_scopereg_ids "$prog" "${reg[@]}")" -- "$cur")
        ;;
    at)
        [ $npos -eq 1 ] &&
            mapfile -t COMPREPLY < <(compgen -W "$(_scopereg_ids "$prog" "${reg[@]}")" -- "$cur")
        ;;
    lang)
        [ $npos -eq 0 ] && mapfile -t COMPREPLY < <(compgen -W 'fr de it en' -- "$cur")
        ;;
    show | diff | sign | export | export-csv | report)
        mapfile -t COMPREPLY < <(compgen -W 'latest' -- "$cur")
        ;;
    esac
}

# Files (with the extension pattern given), and directories to walk into.
_scopereg_files()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir "$@"
    elif [ -n "${1:-}" ]; then
        mapfile -t COMPREPLY < <(compgen -d -- "$cur"
            shopt -s extglob
            compgen -f -X "!*.$1" -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
}

_scopereg_dirs()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir -d
    else
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
    fi
}

complete -F _scopereg scopereg
