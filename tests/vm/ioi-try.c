// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-try: make exactly one system call and print its outcome, "ok" or the
 * errno's name (EACCES, EPERM, EXDEV...), so VM tests can name the syscall
 * and the errno they expect. Exit status 0 for "ok", 1 for an errno, 2 for
 * bad usage.
 *
 *   ioi-try open PATH MODE       MODE: r w rw a creat trunc rtrunc acc3 dir
 *                                (acc3: O_ACCMODE, neither read nor write)
 *   ioi-try mmap-exec PATH       map the file PROT_READ|PROT_EXEC
 *   ioi-try mprotect-exec PATH   map it PROT_READ, then add PROT_EXEC
 *   ioi-try mmap-read PATH       map it PROT_READ, shared
 *   ioi-try mknod-dev PATH       a character device (1:3, like /dev/null)
 *   ioi-try ptrace PID           PTRACE_ATTACH
 *   ioi-try delete-module NAME   delete_module(2), O_NONBLOCK
 *   ioi-try delete-module-force NAME   the same with O_TRUNC (rmmod -f)
 *   ioi-try reopen PATH MODE     O_PATH open, then open /proc/self/fd/N
 *   ioi-try openat2 PATH MODE RESOLVE   RESOLVE: beneath,nosymlinks,...
 *   ioi-try read PATH            open O_RDONLY and read one byte
 *   ioi-try readall PATH         open O_RDONLY and read to the end
 *   ioi-try append PATH TEXT     open O_WRONLY|O_APPEND and write TEXT
 *   ioi-try exec PATH [ARGS]     execve
 *   ioi-try mkdir|rmdir|unlink PATH
 *   ioi-try mknod PATH           a FIFO
 *   ioi-try symlink TARGET PATH
 *   ioi-try link OLD NEW
 *   ioi-try rename OLD NEW [exchange|noreplace]
 *   ioi-try truncate PATH SIZE
 *   ioi-try chmod PATH MODE      MODE in octal
 *   ioi-try chown PATH UID GID
 *   ioi-try utimes PATH
 *   ioi-try setxattr|lsetxattr|fsetxattr PATH NAME VALUE
 *   ioi-try removexattr|lremovexattr|fremovexattr PATH NAME
 *                                (f...: on an O_RDONLY descriptor)
 *   ioi-try mount-setattr DIR    mount_setattr(2): make it read-only
 *   ioi-try fsopen FSTYPE | fspick DIR | open-tree-clone DIR
 *   ioi-try mount-tmpfs DIR | bind SRC DIR | umount DIR | chroot DIR
 *   ioi-try pivot NEW OLD
 *   ioi-try fanotify-deny PATH MODE   a child opens PATH while a fanotify
 *                                listener refuses it (FAN_OPEN_PERM): an
 *                                open that fails after every LSM said yes
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/openat2.h>

static const struct {
	int err;
	const char *name;
} names[] = {
	{ EACCES, "EACCES" }, { EPERM, "EPERM" }, { EXDEV, "EXDEV" },
	{ ENOENT, "ENOENT" }, { EEXIST, "EEXIST" }, { EINVAL, "EINVAL" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { ELOOP, "ELOOP" },
	{ EBUSY, "EBUSY" }, { ENOTEMPTY, "ENOTEMPTY" }, { EROFS, "EROFS" },
	{ EIO, "EIO" }, { ENODEV, "ENODEV" }, { ENOSYS, "ENOSYS" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EBADF, "EBADF" }, { ENODATA, "ENODATA" },
	{ ENOKEY, "ENOKEY" }, { ENOSPC, "ENOSPC" }, { EAGAIN, "EAGAIN" },
};

static int outcome(long ret)
{
	size_t i;

	if (ret >= 0) {
		puts("ok");
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == errno) {
			puts(names[i].name);
			return 1;
		}
	}
	printf("errno %d\n", errno);
	return 1;
}

static int usage(void)
{
	fputs("ioi-try: bad arguments (see the source's header)\n", stderr);
	return 2;
}

static int open_flags(const char *mode)
{
	if (!strcmp(mode, "r"))
		return O_RDONLY;
	if (!strcmp(mode, "w"))
		return O_WRONLY;
	if (!strcmp(mode, "rw"))
		return O_RDWR;
	if (!strcmp(mode, "a"))
		return O_WRONLY | O_APPEND;
	if (!strcmp(mode, "creat"))
		return O_WRONLY | O_CREAT | O_EXCL;
	if (!strcmp(mode, "trunc"))
		return O_WRONLY | O_TRUNC;
	if (!strcmp(mode, "rtrunc"))
		return O_RDONLY | O_TRUNC;
	if (!strcmp(mode, "acc3"))
		return O_ACCMODE;
	if (!strcmp(mode, "dir"))
		return O_RDONLY | O_DIRECTORY;
	return -1;
}

/*
 * The child's open reaches fsnotify's permission check, after the LSMs in
 * security_file_open(); this listener says no. The child's errno is the
 * outcome.
 */
static int fanotify_deny(const char *path, int flags)
{
	struct fanotify_event_metadata ev;
	struct fanotify_response resp;
	int fan, st, fd;
	pid_t pid;

	fan = fanotify_init(FAN_CLASS_CONTENT, O_RDONLY);
	if (fan < 0 ||
	    fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, path))
		return outcome(-1);
	pid = fork();
	if (pid < 0)
		return outcome(-1);
	if (!pid) {
		fd = open(path, flags);
		_exit(fd < 0 ? errno : 0);
	}
	if (read(fan, &ev, sizeof(ev)) != sizeof(ev) || ev.fd < 0) {
		fputs("ioi-try: no fanotify event\n", stderr);
		return 2;
	}
	resp.fd = ev.fd;
	resp.response = FAN_DENY;
	if (write(fan, &resp, sizeof(resp)) != sizeof(resp))
		return outcome(-1);
	close(ev.fd);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 2;
	errno = WEXITSTATUS(st);
	return outcome(errno ? -1 : 0);
}

static long resolve_flags(const char *s)
{
	long f = 0;

	if (strstr(s, "beneath"))
		f |= RESOLVE_BENEATH;
	if (strstr(s, "nosymlinks"))
		f |= RESOLVE_NO_SYMLINKS;
	if (strstr(s, "noxdev"))
		f |= RESOLVE_NO_XDEV;
	if (strstr(s, "inroot"))
		f |= RESOLVE_IN_ROOT;
	return f;
}

int main(int argc, char *argv[])
{
	const char *op = argc > 1 ? argv[1] : "";
	char buf[64];
	int fd, flags;

	if (argc < 3)
		return usage();
	if (!strcmp(op, "open") && argc == 4) {
		flags = open_flags(argv[3]);
		if (flags < 0)
			return usage();
		return outcome(open(argv[2], flags, 0644));
	}
	if (!strcmp(op, "fanotify-deny") && argc == 4) {
		flags = open_flags(argv[3]);
		return flags < 0 ? usage() : fanotify_deny(argv[2], flags);
	}
	if (!strcmp(op, "reopen") && argc == 4) {
		flags = open_flags(argv[3]);
		fd = open(argv[2], O_PATH);
		if (fd < 0 || flags < 0)
			return fd < 0 ? outcome(fd) : usage();
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
		return outcome(open(buf, flags));
	}
	if (!strcmp(op, "openat2") && argc == 5) {
		struct open_how how = { 0 };

		flags = open_flags(argv[3]);
		if (flags < 0)
			return usage();
		how.flags = flags;
		how.mode = flags & O_CREAT ? 0644 : 0;
		how.resolve = resolve_flags(argv[4]);
		return outcome(syscall(SYS_openat2, AT_FDCWD, argv[2], &how,
				       sizeof(how)));
	}
	if (!strcmp(op, "read")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return outcome(fd);
		return outcome(read(fd, buf, 1));
	}
	if (!strcmp(op, "readall")) {
		static char big[65536];
		ssize_t n;

		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return outcome(fd);
		while ((n = read(fd, big, sizeof(big))) > 0)
			;
		return outcome(n);
	}
	if (!strcmp(op, "append") && argc == 4) {
		fd = open(argv[2], O_WRONLY | O_APPEND);
		if (fd < 0)
			return outcome(fd);
		return outcome(write(fd, argv[3], strlen(argv[3])));
	}
	if (!strcmp(op, "mmap-exec") || !strcmp(op, "mprotect-exec")) {
		int exec_now = op[1] == 'm';
		void *m;

		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return outcome(fd);
		m = mmap(NULL, 4096, PROT_READ | (exec_now ? PROT_EXEC : 0),
			 MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED || exec_now)
			return outcome(m == MAP_FAILED ? -1 : 0);
		return outcome(mprotect(m, 4096, PROT_READ | PROT_EXEC));
	}
	if (!strcmp(op, "mmap-read")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return outcome(fd);
		return outcome(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) ==
			       MAP_FAILED ? -1 : 0);
	}
	if (!strcmp(op, "mknod-dev"))
		return outcome(mknod(argv[2], S_IFCHR | 0644, makedev(1, 3)));
	if (!strcmp(op, "ptrace"))
		return outcome(ptrace(PTRACE_ATTACH, atoi(argv[2]), 0, 0));
	if (!strcmp(op, "delete-module"))
		return outcome(syscall(SYS_delete_module, argv[2], O_NONBLOCK));
	if (!strcmp(op, "delete-module-force"))
		return outcome(syscall(SYS_delete_module, argv[2],
				       O_NONBLOCK | O_TRUNC));
	if (!strcmp(op, "exec"))
		return outcome(execv(argv[2], argv + 2));
	if (!strcmp(op, "mkdir"))
		return outcome(mkdir(argv[2], 0755));
	if (!strcmp(op, "rmdir"))
		return outcome(rmdir(argv[2]));
	if (!strcmp(op, "unlink"))
		return outcome(unlink(argv[2]));
	if (!strcmp(op, "mknod"))
		return outcome(mknod(argv[2], S_IFIFO | 0644, 0));
	if (!strcmp(op, "symlink") && argc == 4)
		return outcome(symlink(argv[2], argv[3]));
	if (!strcmp(op, "link") && argc == 4)
		return outcome(link(argv[2], argv[3]));
	if (!strcmp(op, "rename") && (argc == 4 || argc == 5)) {
		unsigned int rf = 0;

		if (argc == 5)
			rf = !strcmp(argv[4], "exchange") ? RENAME_EXCHANGE :
			     RENAME_NOREPLACE;
		return outcome(renameat2(AT_FDCWD, argv[2], AT_FDCWD, argv[3],
					 rf));
	}
	if (!strcmp(op, "truncate") && argc == 4)
		return outcome(truncate(argv[2], atoll(argv[3])));
	if (!strcmp(op, "chmod") && argc == 4)
		return outcome(chmod(argv[2], strtol(argv[3], NULL, 8)));
	if (!strcmp(op, "chown") && argc == 5)
		return outcome(chown(argv[2], atoi(argv[3]), atoi(argv[4])));
	if (!strcmp(op, "utimes"))
		return outcome(utimes(argv[2], NULL));
	if (!strcmp(op, "setxattr") && argc == 5)
		return outcome(setxattr(argv[2], argv[3], argv[4],
					strlen(argv[4]), 0));
	if (!strcmp(op, "lsetxattr") && argc == 5)
		return outcome(lsetxattr(argv[2], argv[3], argv[4],
					 strlen(argv[4]), 0));
	if (!strcmp(op, "removexattr") && argc == 4)
		return outcome(removexattr(argv[2], argv[3]));
	if (!strcmp(op, "lremovexattr") && argc == 4)
		return outcome(lremovexattr(argv[2], argv[3]));
	if ((!strcmp(op, "fsetxattr") && argc == 5) ||
	    (!strcmp(op, "fremovexattr") && argc == 4)) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return outcome(fd);
		if (op[1] == 's')
			return outcome(fsetxattr(fd, argv[3], argv[4],
						 strlen(argv[4]), 0));
		return outcome(fremovexattr(fd, argv[3]));
	}
	if (!strcmp(op, "mount-setattr")) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

		return outcome(syscall(SYS_mount_setattr, AT_FDCWD, argv[2],
				       0, &attr, sizeof(attr)));
	}
	if (!strcmp(op, "fsopen"))
		return outcome(syscall(SYS_fsopen, argv[2], 0));
	if (!strcmp(op, "fspick"))
		return outcome(syscall(SYS_fspick, AT_FDCWD, argv[2], 0));
	if (!strcmp(op, "open-tree-clone"))
		return outcome(syscall(SYS_open_tree, AT_FDCWD, argv[2],
				       OPEN_TREE_CLONE));
	if (!strcmp(op, "mount-tmpfs"))
		return outcome(mount("none", argv[2], "tmpfs", 0, NULL));
	if (!strcmp(op, "bind") && argc == 4)
		return outcome(mount(argv[2], argv[3], NULL, MS_BIND, NULL));
	if (!strcmp(op, "umount"))
		return outcome(umount(argv[2]));
	if (!strcmp(op, "chroot"))
		return outcome(chroot(argv[2]));
	if (!strcmp(op, "pivot") && argc == 4)
		return outcome(syscall(SYS_pivot_root, argv[2], argv[3]));
	return usage();
}
