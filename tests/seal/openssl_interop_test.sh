#!/usr/bin/env bash
# Interop with the openssl command line (OpenSSL 3.0): what onestop signs, a third party verifies
# with only `openssl`, the seal's public key and the bytes; a tampered byte or a wrong key fails;
# and what openssl signs, onestop verifies. The commands are the ones in docs/SEALS.md.
# Usage: openssl_interop_test.sh <path to onestop>
set -u
B=$(realpath "${1:?path to onestop}")
W=$(mktemp -d /tmp/onestop-seal.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"
unset ONESTOP_MASTER_KEY ONESTOP_MASTER_KEY_FILE
D="sqlite:$W/seal.db"
ID=1234567812345678  # GB/T 32918 default user ID
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# must <description> -- command: the command must succeed
must() { local d=$1; shift 2; if out=$("$@" 2>&1); then ok "$d"; else bad "$d"; echo "$out" | sed 's/^/    /'; fi; }
# mustnot <description> -- command: the command must fail
mustnot() { local d=$1; shift 2; if out=$("$@" 2>&1); then bad "$d (succeeded)"; echo "$out" | sed 's/^/    /'; else ok "$d"; fi; }

# --- set up: a master key, a department, its seal with SM2 and Ed25519 keys -------------------
must "init-master-key" -- "$B" seal init-master-key --out master.key
[[ $(stat -c %a master.key) == 600 ]] && ok "master.key is 0600" || bad "master.key mode $(stat -c %a master.key)"
mustnot "init-master-key refuses to overwrite" -- "$B" seal init-master-key --out master.key
must "department" -- "$B" --db "$D" department add --code T-SP --name 长沙市岳麓区行政审批服务局 --region 430104 --level county
must "department 2" -- "$B" --db "$D" department add --code T-GA --name 长沙市岳麓区公安分局 --region 430104 --level county
must "seal create" -- "$B" --db "$D" seal create --department T-SP --name 长沙市岳麓区行政审批服务局电子证照专用章 --ed25519 --master-key-file master.key
must "seal create 2" -- "$B" --db "$D" seal create --department T-GA --name 长沙市岳麓区公安分局电子证照专用章 --master-key-file master.key
mustnot "seal create without a master key" -- "$B" --db "$D" seal create --department T-GA --name 第二枚章
printf '{"holder":{"idType":"111","name":"张三"},"type":"户口簿","version":1}' > data.json

# --- onestop signs (SM2-SM3), openssl verifies --------------------------------------------------
KEY=$("$B" --db "$D" seal sign-file --department T-SP --in data.json --out sig.der --pub-out pub.pem --master-key-file master.key)
[[ $KEY == ES430104000001-k1 ]] && ok "signed with $KEY" || bad "key id '$KEY'"
must "export-key" -- "$B" --db "$D" seal export-key --key-id "$KEY" --out exported.pem
must "exported key = signing key" -- cmp pub.pem exported.pem
must "openssl pkeyutl verifies SM2-SM3" -- openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 -pkeyopt distid:$ID -in data.json -sigfile sig.der
must "openssl dgst verifies SM2-SM3" -- openssl dgst -sm3 -verify pub.pem -sigopt distid:$ID -signature sig.der data.json
mustnot "openssl without the default ID fails" -- openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 -in data.json -sigfile sig.der
cp data.json tampered.json
printf 'X' | dd of=tampered.json bs=1 seek=20 conv=notrunc status=none
mustnot "tampered byte fails (pkeyutl)" -- openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 -pkeyopt distid:$ID -in tampered.json -sigfile sig.der
mustnot "tampered byte fails (dgst)" -- openssl dgst -sm3 -verify pub.pem -sigopt distid:$ID -signature sig.der tampered.json
must "other seal's key exported" -- "$B" --db "$D" seal export-key --key-id ES430104000002-k1 --out other.pem
mustnot "wrong key fails" -- openssl pkeyutl -verify -pubin -inkey other.pem -rawin -digest sm3 -pkeyopt distid:$ID -in data.json -sigfile sig.der
mustnot "wrong key fails (dgst)" -- openssl dgst -sm3 -verify other.pem -sigopt distid:$ID -signature sig.der data.json

# The master key from the environment (hex) works the same; a wrong one is refused.
export ONESTOP_MASTER_KEY=$(tr -d '\n' < master.key)
must "sign with ONESTOP_MASTER_KEY" -- "$B" --db "$D" seal sign-file --department T-SP --in data.json --out sig2.der
must "openssl verifies it" -- openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 -pkeyopt distid:$ID -in data.json -sigfile sig2.der
export ONESTOP_MASTER_KEY=$(printf '%064d' 0)
out=$("$B" --db "$D" seal sign-file --department T-SP --in data.json --out sig3.der 2>&1)
[[ $? -ne 0 && $out == *seal.master_key_wrong* ]] && ok "wrong master key refused" || { bad "wrong master key"; echo "$out"; }
unset ONESTOP_MASTER_KEY

# --- Ed25519 ------------------------------------------------------------------------------------
EDKEY=$("$B" --db "$D" seal sign-file --department T-SP --ed25519 --in data.json --out ed.sig --pub-out ed.pem --master-key-file master.key)
[[ $EDKEY == ES430104000001-k2 && $(stat -c %s ed.sig) == 64 ]] && ok "Ed25519 signed with $EDKEY" || bad "Ed25519 key '$EDKEY'"
must "openssl verifies Ed25519" -- openssl pkeyutl -verify -pubin -inkey ed.pem -rawin -in data.json -sigfile ed.sig
mustnot "Ed25519 tampered byte fails" -- openssl pkeyutl -verify -pubin -inkey ed.pem -rawin -in tampered.json -sigfile ed.sig

# --- rotation: the old key still verifies, new signatures use the new key ------------------------
must "rotate" -- "$B" --db "$D" seal rotate --seal ES430104000001 --master-key-file master.key
NEWKEY=$("$B" --db "$D" seal sign-file --department T-SP --in data.json --out new.der --pub-out new.pem --master-key-file master.key)
[[ $NEWKEY == ES430104000001-k3 ]] && ok "after rotation signed with $NEWKEY" || bad "after rotation '$NEWKEY'"
must "old signature still verifies (old key)" -- openssl pkeyutl -verify -pubin -inkey exported.pem -rawin -digest sm3 -pkeyopt distid:$ID -in data.json -sigfile sig.der
must "new signature verifies (new key)" -- openssl pkeyutl -verify -pubin -inkey new.pem -rawin -digest sm3 -pkeyopt distid:$ID -in data.json -sigfile new.der
mustnot "new signature with the old key fails" -- openssl pkeyutl -verify -pubin -inkey exported.pem -rawin -digest sm3 -pkeyopt distid:$ID -in data.json -sigfile new.der

# --- openssl signs, onestop verifies --------------------------------------------------------------
must "openssl SM2 key" -- openssl genpkey -algorithm SM2 -out os.key
must "openssl SM2 public key" -- openssl pkey -in os.key -pubout -out os.pem
must "openssl signs SM2-SM3" -- openssl pkeyutl -sign -inkey os.key -rawin -digest sm3 -pkeyopt distid:$ID -in data.json -out os.der
must "onestop verifies openssl's SM2-SM3" -- "$B" seal verify-file --pub os.pem --in data.json --sig os.der
mustnot "onestop rejects it on tampered bytes" -- "$B" seal verify-file --pub os.pem --in tampered.json --sig os.der
mustnot "onestop rejects it with the wrong key" -- "$B" seal verify-file --pub pub.pem --in data.json --sig os.der
must "openssl signs without the ID (empty ID)" -- openssl pkeyutl -sign -inkey os.key -rawin -digest sm3 -in data.json -out noid.der
mustnot "onestop rejects an empty-ID signature" -- "$B" seal verify-file --pub os.pem --in data.json --sig noid.der
must "openssl Ed25519 key" -- openssl genpkey -algorithm ED25519 -out osed.key
must "openssl Ed25519 public key" -- openssl pkey -in osed.key -pubout -out osed.pem
must "openssl signs Ed25519" -- openssl pkeyutl -sign -inkey osed.key -rawin -in data.json -out osed.sig
must "onestop verifies openssl's Ed25519" -- "$B" seal verify-file --ed25519 --pub osed.pem --in data.json --sig osed.sig
mustnot "onestop rejects Ed25519 on tampered bytes" -- "$B" seal verify-file --ed25519 --pub osed.pem --in tampered.json --sig osed.sig

if [[ $fails -ne 0 ]]; then echo "$fails check(s) failed"; exit 1; fi
echo "openssl interop: all checks passed"
