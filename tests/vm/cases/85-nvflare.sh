# SPDX-License-Identifier: GPL-2.0
# The NVIDIA FLARE profile, docs/examples/nvflare.conf as shipped but for
# where it is: a Python program that does what a FLARE job does (reads
# its startup kit and data, deploys a job workspace, saves models with
# pickle and JSON, a checkpoint, appends and rotates logs with logging,
# writes metrics, uses /tmp and /dev/shm) and what it must not (writes
# outside its workspace, into its startup kit or data, moves a model or a
# log to a name of another encrypt mode, runs a program it wrote), each
# with the errno it must get. Then, on disk: models and checkpoints
# encrypted and read back as plaintext, logs and metrics encrypted and
# read back sealed, configuration in the clear, every sealed file equal to
# what the job wrote once decrypted offline, nothing written elsewhere.
# requires: disk hostroot
. /tests/lib.sh

# The profile's paths, changed by sed only:
#   /srv/nvflare/...       -> /mnt/nvflare/...: the job runs chrooted in
#                             /host, whose /mnt is the ext4 disk
#                             (/mnt/disk here, $N below);
#   scope /nvflare.slice   -> /ioi-test, the cgroup of lib.sh;
#   require-tee yes        -> no, in the second part: qemu is no TEE.
shipped=/tests/examples/nvflare.conf
expect_rc 0 ioctl-cli check-policy $shipped
N=/mnt/disk/nvflare
J=2f1d7a3c-96a4-4b6e-9b57-0c1e7f3a5d42
P=/tmp/nvf
rm -rf $N $P /host/tmp/nvf-ref
mkdir -p $P
sed -e 's,/srv/nvflare/,/mnt/nvflare/,g' \
	-e 's,^scope cgroup /nvflare.slice ,scope cgroup /ioi-test ,' \
	$shipped > $P/tee.conf
grep -q '^scope cgroup /ioi-test ' $P/tee.conf || fail "the profile has no scope cgroup /nvflare.slice line"
ioctl-cli check-policy --canonical $P/tee.conf | grep '/srv/\|nvflare.slice' > $P/left &&
	fail "paths left: $(cat $P/left)"
sed 's/^require-tee yes /require-tee no  /' $P/tee.conf > $P/policy.conf
grep -q '^require-tee no ' $P/policy.conf || fail "the profile has no require-tee yes line"

# A fresh module: no key, no policy.
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept

# /dev/shm as a tmpfs, for the loader (here) and the job (in /host).
mkdir -p /dev/shm
mount -t tmpfs -o mode=1777 shm /dev/shm || fail "cannot mount /dev/shm"
mount -t tmpfs -o mode=1777 shm /host/dev/shm || fail "cannot mount /host/dev/shm"

# 1. As shipped, "require-tee yes": the policy loads, and then no master
# key can be added outside a confidential guest.
printf '%064x\n' 1234 > $P/master.key
expect_rc 0 ioctl-cli load-policy $P/tee.conf
expect_rc 1 ioctl-cli key add --file $P/master.key
expect_out "require-tee: not a confidential guest"
expect_rc 0 ioctl-cli unload-policy

# 2. The site: a startup kit, local configuration, training data.
mkdir -p $N/workspace/startup $N/workspace/local $N/data
echo '{"format_version": 2, "client": {"retry_timeout": 30}}' > $N/workspace/startup/fed_client.json
echo 'not a real key' > $N/workspace/startup/client.key
printf '#!/bin/sh\nexec true\n' > $N/workspace/startup/sub_start.sh
chmod 755 $N/workspace/startup/sub_start.sh
echo '{"components": []}' > $N/workspace/local/resources.json
printf 'x,y\n1,2\n3,4\n' > $N/data/train.csv

expect_rc 0 ioctl-cli key add --file $P/master.key
kid=$(cat $out)
expect_rc 0 ioctl-cli check-policy $P/policy.conf
h=$(sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p' $out)
expect_rc 0 ioctl-cli load-policy $P/policy.conf
expect_out "policy loaded: sha256 $h"
denied0=$(stat_of denied)

# 3. The job, confined: chrooted in /host first (a confined task cannot
# chroot), then into the cgroup through a descriptor opened outside.
cat > $P/job.py <<'EOF'
import errno, json, logging, logging.handlers, os, pickle, subprocess
import sys, tempfile
from multiprocessing import shared_memory

root, job = sys.argv[1:3]
ws = root + "/workspace"
ref = "/tmp/nvf-ref"          # plaintext copies, for the checks outside
os.makedirs(ref)
E = errno.errorcode


def expect_err(want, fn, *args):
    try:
        fn(*args)
    except OSError as e:
        assert e.errno == want, \
            f"{fn.__name__}{args}: {E[e.errno]}, expected {E[want]}"
        return
    raise AssertionError(f"{fn.__name__}{args}: succeeded, expected {E[want]}")


def write(path, data, mode="wb"):
    with open(path, mode) as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def sealed(path):
    data = read(path)
    assert data[:4] == b"IOIE", f"{path} reads back as {data[:16]!r}, not sealed"
    return data


# The startup kit, local configuration and data: read, never changed.
kit = json.loads(read(ws + "/startup/fed_client.json"))
assert kit["format_version"] == 2
read(ws + "/startup/client.key")
read(ws + "/local/resources.json")
assert read(root + "/data/train.csv").startswith(b"x,y")
expect_err(errno.EACCES, write, ws + "/startup/fed_client.json", b"{}")
expect_err(errno.EACCES, write, ws + "/startup/evil.sh", b"")
expect_err(errno.EACCES, os.rename, ws + "/startup/client.key", ws + "/client.key")
expect_err(errno.EACCES, os.unlink, ws + "/local/resources.json")
expect_err(errno.EACCES, write, root + "/data/train.csv", b"5,6\n", "ab")
expect_err(errno.EACCES, write, root + "/data/more.csv", b"")

# The job workspace as FLARE deploys it: configuration in the clear.
app = f"{ws}/{job}/app_site-1"
srv = f"{ws}/{job}/app_server"
for d in ("config", "models", "checkpoints", "metrics"):
    os.makedirs(f"{app}/{d}")
os.makedirs(srv)
os.makedirs(f"{ws}/{job}/cross_site_val")
cfg = json.dumps({"format_version": 2, "executors": []}).encode()
write(app + "/config/config_fed_client.json", cfg)
write(ref + "/config.json", cfg)


# Logs through logging, as FLARE's log.config sets them up: each handler
# opens its file for appending.
def log(path, lines, handler=None):
    h = handler or logging.FileHandler(path)
    lg = logging.getLogger(path)
    lg.setLevel(logging.INFO)
    lg.propagate = False
    lg.addHandler(h)
    for line in lines:
        lg.info(line)
    h.close()
    lg.removeHandler(h)


log(ws + "/log.txt", ["site-1 started"])
log(ws + "/log.txt", [f"job {job} deployed"])       # appended, reopened
log(ws + "/audit.log", [f"admin@site-1 submit_job {job}"])
log(app + "/train.log", [f"epoch {i} loss {1 / (i + 1):.4f}" for i in range(5)])
# The job's log.txt rotates at 2000 bytes: the rename to log.txt.1 stays
# in the same encrypt mode (wo), so it is allowed.
lines = [f"round {i // 10} step {i}: " + "x" * 30 for i in range(60)]
rot = logging.handlers.RotatingFileHandler(f"{ws}/{job}/log.txt",
                                           maxBytes=2000, backupCount=3)
log(f"{ws}/{job}/log.txt", lines, rot)
write(ref + "/job.log", "".join(line + "\n" for line in lines).encode())
assert os.path.exists(f"{ws}/{job}/log.txt.1"), "the job's log did not rotate"
# Read back in the VM: sealed. Kept for the comparison with the disk.
write(ref + "/log.read", sealed(ws + "/log.txt"))
sealed(ws + "/audit.log")

# Models: pickle (what torch.save writes) and JSON, read back as written.
model = {"round": 3, "weights": [[0.001 * i * j for i in range(400)] for j in range(25)]}
for name in (srv + "/FL_global_model.pt", srv + "/best_FL_global_model.pt",
             app + "/local_model.pt"):
    with open(name, "wb") as f:
        pickle.dump(model, f)
    with open(name, "rb") as f:
        assert pickle.load(f) == model, name
write(ref + "/model.pickle", pickle.dumps(model))
with open(app + "/models/model.json", "w") as f:
    json.dump(model, f)
with open(app + "/models/model.json") as f:
    assert json.load(f) == model
write(ref + "/model.json", json.dumps(model).encode())
ckpt = pickle.dumps({"model": model, "optimizer": {"lr": 0.01, "step": 300}})
write(app + "/checkpoints/round-3.ckpt", ckpt)
assert read(app + "/checkpoints/round-3.ckpt") == ckpt
write(ref + "/ckpt", ckpt)
# A model updated in place, as a persistor rewriting part of it would.
with open(srv + "/best_FL_global_model.pt", "r+b") as f:
    f.seek(5000)
    f.write(b"PATCHED")
want = bytearray(pickle.dumps(model))
want[5000:5007] = b"PATCHED"
assert read(srv + "/best_FL_global_model.pt") == want
write(ref + "/best.pickle", bytes(want))

# Metrics: written, read back sealed.
metrics = {"round": 3, "accuracy": 0.912, "loss": 0.274}
for name in (app + "/train_metrics.json", app + "/metrics/round-3.json",
             f"{ws}/{job}/cross_site_val/cross_val_results.json"):
    write(name, json.dumps(metrics).encode())
    sealed(name)
write(ref + "/metrics.json", json.dumps(metrics).encode())

# Scratch space in memory: /tmp, and /dev/shm as the DataLoader uses it.
with tempfile.NamedTemporaryFile(dir="/tmp") as t:
    t.write(pickle.dumps(model))
shm = shared_memory.SharedMemory(create=True, size=1 << 16)
shm.buf[:5] = b"batch"
assert bytes(shm.buf[:5]) == b"batch"
shm.close()
shm.unlink()
write("/dev/null", b"discarded")
assert len(read("/proc/self/status")) > 0
with open("/dev/urandom", "rb") as f:
    assert len(f.read(32)) == 32
assert read("/sys/kernel/iointercept/version")
expect_err(errno.EACCES, write, "/proc/self/comm", b"evil")
expect_err(errno.EACCES, write, "/sys/kernel/iointercept/timing", b"1")
if os.path.isdir("/sys/kernel/security"):   # not on the test kernel
    expect_err(errno.EACCES, os.listdir, "/sys/kernel/security")

# Nowhere else: next to the workspace, elsewhere on the disk, in /dev and
# /run (writable filesystems, so the errno is the policy's).
blob = pickle.dumps(model)
expect_err(errno.EACCES, write, root + "/stolen.pt", blob)
expect_err(errno.EACCES, os.mkdir, root + "/elsewhere")
expect_err(errno.EACCES, write, "/mnt/stolen", blob)
expect_err(errno.EACCES, write, "/dev/stolen", blob)
expect_err(errno.EACCES, write, "/run/stolen", blob)
expect_err(errno.EACCES, os.symlink, ws, "/mnt/ws")
# Moving a model or a log to a name of another encrypt mode: EXDEV, so
# that the file is never stored in another mode than its name says.
expect_err(errno.EXDEV, os.rename, srv + "/FL_global_model.pt", f"{ws}/{job}/model.bin")
expect_err(errno.EXDEV, os.link, srv + "/FL_global_model.pt", f"{ws}/{job}/model.bin")
expect_err(errno.EXDEV, os.rename, srv + "/FL_global_model.pt", f"{ws}/{job}/model.log")
expect_err(errno.EXDEV, os.rename, ws + "/log.txt", ws + "/log.plain")
# A program the job wrote into its workspace does not run.
prog = f"{ws}/{job}/tool.sh"
write(prog, b"#!/bin/sh\necho ran\n")
os.chmod(prog, 0o755)
expect_err(errno.EACCES, subprocess.run, [prog])
print("job: ok")
EOF
expect_rc 0 chroot /host /bin/sh -c \
	'echo $$ >&4 && exec /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 python3 -B - "$@" 4>&-' \
	job /mnt/nvflare $J < $P/job.py 4> $CG/cgroup.procs
expect_out "job: ok"
[ "$(stat_of denied)" -gt "$denied0" ] || fail "no denial was counted"

# 4. On disk, seen from outside (no encrypt rule names /mnt/disk/...):
# every sealed file has the format's size, is not the plaintext, and
# decrypts offline with the master key to exactly what the job wrote.
R=/host/tmp/nvf-ref
W=$N/workspace
A=$W/$J/app_site-1
S=$W/$J/app_server
printf 'site-1 started\njob %s deployed\n' $J > $P/site.log
printf 'admin@site-1 submit_job %s\n' $J > $P/audit.log
for i in 0 1 2 3 4; do
	awk -v i=$i 'BEGIN { printf "epoch %d loss %.4f\n", i, 1 / (i + 1) }'
done > $P/train.log
# sealed FILE PLAINTEXT: FILE is stored encrypted under our key, and its
# plaintext is PLAINTEXT.
sealed() {
	n=$(stat -c %s $2)
	expect_eq "$(stat -c %s $1)" $((80 + n + 28 * ((n + 4095) / 4096 + 1))) "stored size of $1"
	cmp -s $1 $2 && fail "$1 is stored in the clear"
	expect_rc 0 ioctl-cli inspect --key $P/master.key $1
	expect_out "key id: $kid"
	expect_out "verification: verified"
	expect_rc 0 ioctl-cli decrypt --key $P/master.key $1 $P/dec
	expect_rc 0 cmp $P/dec $2
}
sealed $S/FL_global_model.pt $R/model.pickle
sealed $S/best_FL_global_model.pt $R/best.pickle
sealed $A/local_model.pt $R/model.pickle
sealed $A/models/model.json $R/model.json
sealed $A/checkpoints/round-3.ckpt $R/ckpt
sealed $W/log.txt $P/site.log
sealed $W/audit.log $P/audit.log
sealed $A/train.log $P/train.log
sealed $A/train_metrics.json $R/metrics.json
sealed $A/metrics/round-3.json $R/metrics.json
sealed $W/$J/cross_site_val/cross_val_results.json $R/metrics.json
# The rotated job log: the two files together are every line, in order.
for f in log.txt.1 log.txt; do
	expect_rc 0 ioctl-cli decrypt --key $P/master.key $W/$J/$f $P/$f
done
cat $P/log.txt.1 $P/log.txt > $P/job.log
expect_rc 0 cmp $P/job.log $R/job.log
# What the job read back of a wo log is what is stored.
expect_rc 0 cmp $R/log.read $W/log.txt
# Configuration is stored as it is; so is what no rule names.
expect_rc 0 cmp $R/config.json $A/config/config_fed_client.json
# An unconfined program that names the file as the rules do reads the
# plaintext (an encrypt rule is about the file, not the task).
expect_rc 0 hostrun cmp /mnt/nvflare/workspace/$J/app_server/FL_global_model.pt /tmp/nvf-ref/model.pickle
# Nothing was written where the job was refused.
for f in $N/stolen.pt $N/elsewhere /mnt/disk/stolen /mnt/disk/ws /dev/stolen \
	/host/run/stolen $W/startup/evil.sh $W/client.key $N/data/more.csv \
	$W/$J/model.bin $W/$J/model.log $W/log.plain; do
	[ -e $f ] && fail "$f exists"
done
expect_eq "$(cat $N/data/train.csv | wc -l)" 3 "lines of the training data"
[ -e $W/startup/client.key ] || fail "the startup kit lost client.key"

# Clean up: no policy, no key, no mounts for the next cases.
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli key remove $kid
umount /host/dev/shm
umount /dev/shm
rm -rf $N $P /host/tmp/nvf-ref
exit 0
