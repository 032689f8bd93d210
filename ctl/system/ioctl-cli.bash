# SPDX-License-Identifier: GPL-2.0
# bash completion for ioctl-cli(8): subcommands, their options, and file
# names where a subcommand or an option takes a file. Only bash builtins
# (compgen), so it works with or without the bash-completion package.
# tests/cli-docs checks that it offers exactly the subcommands and long
# options that `ioctl-cli help` lists.

# _ioctl_cli_files [-d]: complete file names (directories with -d).
_ioctl_cli_files()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=($(compgen "${1:--f}" -- "$cur"))
}

_ioctl_cli()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmds="status stats monitor load-policy show-policy unload-policy
		check-policy key build-id lock attest measure version encrypt
		decrypt inspect repair help"
	local cmd=${COMP_WORDS[1]} sub= opts= args=
	COMPREPLY=()

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$cmds --help" -- "$cur"))
		return
	fi

	# Subcommands with subcommands of their own.
	case $cmd in
	key|build-id)
		local subs="add generate list remove id help"
		[ "$cmd" = build-id ] && subs="set show help"
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "$subs --help" -- "$cur"))
			return
		fi
		sub=${COMP_WORDS[2]}
		;;
	help)
		case $COMP_CWORD in
		2) COMPREPLY=($(compgen -W "${cmds/help/}" -- "$cur")) ;;
		3)
			case $prev in
			key) COMPREPLY=($(compgen -W "add generate list remove id" -- "$cur")) ;;
			build-id) COMPREPLY=($(compgen -W "set show" -- "$cur")) ;;
			esac
			;;
		esac
		return
		;;
	esac

	# opts: the long options; args: what the positional arguments are
	# (file, id or nothing).
	case $cmd${sub:+ $sub} in
	status|show-policy|monitor|"key list") opts="--json" ;;
	stats) opts="--json --prometheus" ;;
	load-policy|"key id") args=file ;;
	check-policy) opts="--canonical"; args=file ;;
	"key add") opts="--file --stdin" ;;
	"key remove") args=id ;;
	attest) opts="--nonce --out --tsm-dir --json" ;;
	measure)
		opts="--policy --build-id --key-id --key --locked
			--module-version --text"
		;;
	encrypt|decrypt) opts="--key"; args=file ;;
	inspect) opts="--key --json"; args=file ;;
	repair) opts="--key --dry-run"; args=file ;;
	esac

	# The argument of the option before the cursor.
	case $prev in
	--file|-f|--key|-k|--out|-o)
		_ioctl_cli_files
		return
		;;
	--policy|-p)
		[ "$cmd" = measure ] && { _ioctl_cli_files; return; }
		;;
	--tsm-dir|-d)
		_ioctl_cli_files -d
		return
		;;
	--locked|-l)
		COMPREPLY=($(compgen -W "yes no" -- "$cur"))
		return
		;;
	--nonce|-n|--build-id|-b|--key-id|-i|--module-version|-V)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
		return
	fi
	case $args in
	file) _ioctl_cli_files ;;
	id)
		# The loaded keys, only if the module is there already: looking
		# up its netlink family would load it.
		if [ -d /sys/kernel/iointercept ]; then
			COMPREPLY=($(compgen -W "$(ioctl-cli key list 2>/dev/null |
				cut -d' ' -f1)" -- "$cur"))
		fi
		;;
	esac
} &&
complete -F _ioctl_cli ioctl-cli
