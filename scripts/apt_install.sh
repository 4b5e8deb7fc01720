#!/usr/bin/env bash
# Helpers for the scripts that install what the project needs from Debian's packages (ensure_services.sh,
# ensure_chromium.sh): they are sourced, not run.

# as_root COMMAND...: run COMMAND as root, through sudo when this user is not root.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

# apt_install PACKAGE...: install Debian packages, refreshing the package lists only when the first attempt fails.
apt_install() {
    echo "installing from Debian's packages: $*"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; then
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
    fi
}
