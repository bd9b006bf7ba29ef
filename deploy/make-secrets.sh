#!/bin/sh
# Writes the secrets docker-compose.yml mounts, once, into deploy/secrets/ (or $SECRETS_DIR). An existing file is
# never replaced: a new master key would make every person's data unreadable (docs/runbook.md, Personal data).
set -eu
dir="${SECRETS_DIR:-$(dirname "$0")/secrets}"
umask 077
mkdir -p "$dir"

write() { # name, command that prints the content
  if [ -e "$dir/$1" ]; then echo "kept     $dir/$1"; else sh -c "$2" > "$dir/$1"; echo "written  $dir/$1"; fi
}

write postgres-password 'openssl rand -hex 24'
write database-url "printf 'postgres://kulturskole:%s@postgres:5432/kulturskole' \"\$(cat '$dir/postgres-password')\""
write personal-data-master-key 'openssl rand -base64 32'
write audit-signing-key.pem 'openssl genpkey -algorithm ed25519'
# Compose mounts each file as it is, and the apps run as the image's user node (uid 1000): the files are readable,
# the folder (0700) keeps the host's other users out.
chmod 0700 "$dir"
chmod 0444 "$dir"/postgres-password "$dir"/database-url "$dir"/personal-data-master-key "$dir"/audit-signing-key.pem
echo "Back up $dir/personal-data-master-key and $dir/audit-signing-key.pem apart from the database backups."
