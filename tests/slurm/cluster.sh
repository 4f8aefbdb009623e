#!/usr/bin/env bash
# A one-node SLURM cluster for tests, started by hand (no systemd): munge, slurmctld, slurmd.
# Usage: tests/slurm/cluster.sh start DIR   -> prints `export SLURM_CONF=DIR/slurm.conf`
#        tests/slurm/cluster.sh stop DIR
# The node offers 2 CPUs and one fake GPU (gres File=/dev/null) so GPU-tagged jobs can be scheduled.
set -euo pipefail
action=${1:?start|stop}
dir=$(realpath -m "${2:?state directory}")
node=$(hostname -s)

install_packages() {
    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            munge slurmctld slurmd slurm-client >/dev/null
    fi
}

write_config() {
    mkdir -p "$dir/state" "$dir/spool"
    cat >"$dir/slurm.conf" <<CONF
ClusterName=jobtopics-test
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=$((20000 + RANDOM % 20000))
SlurmdPort=$((40000 + RANDOM % 20000))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
GresTypes=gpu
# squeue/scontrol must still see finished jobs when the executor (and the test) checks them.
MinJobAge=900
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 RealMemory=16000 Gres=gpu:1 State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    cat >"$dir/gres.conf" <<CONF
AutoDetect=off
NodeName=$node Name=gpu Count=1 File=/dev/null
CONF
}

start() {
    install_packages
    write_config
    mkdir -p /run/munge /var/log/munge /var/lib/munge /etc/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
    pgrep -x munged >/dev/null || runuser -u munge -- munged
    # Job steps (srun inside sbatch) read the default location, not SLURM_CONF: install the config there,
    # but never over a real cluster's configuration.
    mkdir -p /etc/slurm
    if [ -f /etc/slurm/slurm.conf ] && ! grep -q "^ClusterName=jobtopics-test" /etc/slurm/slurm.conf; then
        echo "/etc/slurm/slurm.conf belongs to another cluster; not touching it" >&2
        return 1
    fi
    cp "$dir/slurm.conf" "$dir/gres.conf" /etc/slurm/
    export SLURM_CONF="$dir/slurm.conf"
    slurmctld -f "$SLURM_CONF" -c
    slurmd -f "$SLURM_CONF"
    for _ in $(seq 1 60); do
        if ! kill -0 "$(cat "$dir/slurmctld.pid" 2>/dev/null)" 2>/dev/null; then
            echo "slurmctld exited: $(tail -n 1 "$dir/slurmctld.log")" >&2
            return 1
        fi
        if timeout 5 sinfo -h -o %T 2>/dev/null | grep -qx idle; then
            echo "export SLURM_CONF=$SLURM_CONF"
            return 0
        fi
        sleep 0.5
    done
    echo "SLURM did not come up; see $dir/*.log" >&2
    sinfo >&2 || true
    return 1
}

stop() {
    for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    sleep 1
}

case "$action" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
