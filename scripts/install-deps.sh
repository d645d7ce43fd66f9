#!/usr/bin/env bash
# Installs the Debian packages k8ts drives (etcd for the distributed store, containerd/runc/CNI for
# real containers, a registry and image tools for tests). Idempotent and quick when all are present.
set -euo pipefail
need=()
check() { command -v "$1" >/dev/null 2>&1 || need+=("$2"); }
check etcd etcd-server
check etcdctl etcd-client
check containerd containerd
check runc runc
check crun crun
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
check docker-registry docker-registry
[ -x /bin/busybox ] || need+=(busybox-static)
check skopeo skopeo
check umoci umoci
check iptables iptables
check nft nftables
check ip iproute2
check openssl openssl
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "k8ts: missing system packages: ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "k8ts: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
