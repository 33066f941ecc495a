#!/usr/bin/env bash
# Makes a throw-away test PKI and SoftHSM2 tokens for the signing tests and benchmarks.
#   bash scripts/make-test-pki.sh OUTDIR
# OUTDIR/ gets:
#   ca/root.pem ca/issuing.pem ca/issuing.crl.pem ca/root.crl.pem   root → issuing CA (UTF8String Vietnamese names)
#   certs/<id>.key.pem certs/<id>.cert.pem certs/<id>.p12 (password "test")
#   ca/tsa-root.pem ca/tsa-root.crl.pem ca/tsa.pem ca/tsa.key.pem       a separate TSA root → TSA certificate (EKU timeStamping, critical)
#   ca/ocsp.pem ca/ocsp.key.pem ca/issuing-index.txt                 OCSP responder for the issuing CA (EKU OCSPSigning) and its
#                                                                     `openssl ocsp -index` database; leaves carry AIA OCSP =
#                                                                     $VANTHU_TEST_OCSP_URL (default http://127.0.0.1:1/ocsp: nothing answers)
#   ca/openssl.cnf ([tsa] section: `openssl ts -reply -config ca/openssl.cnf …` answers RFC 3161 queries)
#   softhsm2.conf tokens/                                             SoftHSM2 store, only here (never the system one)
#   manifest.json                                                     what is where (token labels, test PINs, subjects)
# Everything is test material: the PINs are written in the manifest on purpose.
# Needs: openssl, softhsm2-util, node (with pkcs11js from this repo's node_modules).
set -euo pipefail
out="${1:?usage: make-test-pki.sh OUTDIR}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
module="${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
ocsp_url="${VANTHU_TEST_OCSP_URL:-http://127.0.0.1:1/ocsp}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
ca="$out/ca"; certs="$out/certs"
rm -rf "$ca" "$certs" "$out/tokens"
mkdir -p "$ca/root/new" "$ca/issuing/new" "$ca/tsaroot/new" "$ca/tsa" "$certs" "$out/tokens"

# One CA's section of openssl.cnf: its folder, certificate and key, and validity in days.
ca_section() {
  cat <<SECTION
[ $1 ]
dir = $ca/$1
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = $ca/$2.pem
private_key = $ca/$2.key.pem
default_md = sha256
default_days = $3
default_crl_days = 30
policy = anything
unique_subject = no
email_in_dn = no
copy_extensions = none
preserve = yes
SECTION
}

cat > "$ca/openssl.cnf" <<CNF
[ ca ]
default_ca = issuing
$(ca_section root root 3650)
$(ca_section issuing issuing 730)
$(ca_section tsaroot tsa-root 3650)
[ anything ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
prompt = no
[ dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_issuing ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.test.invalid/root.crl
[ v3_person ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.test.invalid/issuing.crl
authorityInfoAccess = OCSP;URI:$ocsp_url
[ v3_ocsp ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_tsa ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $ca/tsa
serial = \$dir/serial
crypto_device = builtin
signer_cert = $ca/tsa.pem
certs = $ca/tsa-root.pem
signer_key = $ca/tsa.key.pem
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1.1
other_policies = 1.3.6.1.4.1.55555.1.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ v3_nosign ]
basicConstraints = critical, CA:false
keyUsage = critical, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
for d in root issuing tsaroot; do : > "$ca/$d/index.txt"; echo 1000 > "$ca/$d/serial"; echo 01 > "$ca/$d/crlnumber"; done
cfg="$ca/openssl.cnf"
q() { "$@" >/dev/null 2>"$out/.err" || { cat "$out/.err" >&2; exit 1; }; }

rsa_key() { q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }
ec_key() { q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1"; }

# Root (self-signed, UTF8String names like the real VGCA root)
rsa_key "$ca/root.key.pem"
q openssl req -config "$cfg" -new -key "$ca/root.key.pem" -utf8 \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ (THỬ NGHIỆM)/CN=RootCA chuyên dùng Chính phủ THỬ NGHIỆM" -out "$ca/root.csr"
q openssl ca -batch -config "$cfg" -name root -selfsign -keyfile "$ca/root.key.pem" -in "$ca/root.csr" \
  -extensions v3_root -utf8 -startdate 20200101000000Z -enddate 20480101000000Z -notext -out "$ca/root.pem"
# Issuing CA
rsa_key "$ca/issuing.key.pem"
q openssl req -config "$cfg" -new -key "$ca/issuing.key.pem" -utf8 \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ (THỬ NGHIỆM)/CN=CA phục vụ các cơ quan Nhà nước THỬ NGHIỆM" -out "$ca/issuing.csr"
q openssl ca -batch -config "$cfg" -name root -in "$ca/issuing.csr" -extensions v3_issuing -utf8 \
  -startdate 20200101000000Z -enddate 20450101000000Z -notext -out "$ca/issuing.pem"

# TSA: its own root (trusted only when added to the trust store) and the TSA certificate
rsa_key "$ca/tsa-root.key.pem"
q openssl req -config "$cfg" -new -key "$ca/tsa-root.key.pem" -utf8 \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ (THỬ NGHIỆM)/CN=TSA Root THỬ NGHIỆM" -out "$ca/tsa-root.csr"
q openssl ca -batch -config "$cfg" -name tsaroot -selfsign -keyfile "$ca/tsa-root.key.pem" -in "$ca/tsa-root.csr" \
  -extensions v3_root -utf8 -startdate 20200101000000Z -enddate 20480101000000Z -notext -out "$ca/tsa-root.pem"
rsa_key "$ca/tsa.key.pem"
q openssl req -config "$cfg" -new -key "$ca/tsa.key.pem" -utf8 \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ (THỬ NGHIỆM)/CN=Dịch vụ cấp dấu thời gian THỬ NGHIỆM" -out "$ca/tsa.csr"
q openssl ca -batch -config "$cfg" -name tsaroot -in "$ca/tsa.csr" -extensions v3_tsa -utf8 \
  -startdate 20240101000000Z -enddate 20440101000000Z -notext -out "$ca/tsa.pem"
echo 01 > "$ca/tsa/serial"
rm -f "$ca"/*.csr

# Leaf certificates: id|kind|subject|extensions|start|end
leaves=(
  "nguyenvana|rsa|/C=VN/ST=Cao Bằng/O=UBND tỉnh Cao Bằng/OU=Văn phòng/CN=Nguyễn Văn A|v3_person|20240101000000Z|20440101000000Z"
  "ubnd|rsa|/C=VN/ST=Cao Bằng/O=UBND tỉnh Cao Bằng/CN=Ủy ban nhân dân tỉnh Cao Bằng|v3_person|20240101000000Z|20440101000000Z"
  "tranthibinh|ec|/C=VN/O=Sở Tài chính tỉnh Cao Bằng/CN=Trần Thị Bình|v3_person|20240101000000Z|20440101000000Z"
  "expired|rsa|/C=VN/O=UBND tỉnh Cao Bằng/CN=Lê Văn Hết Hạn|v3_person|20200101000000Z|20210101000000Z"
  "revoked|rsa|/C=VN/O=UBND tỉnh Cao Bằng/CN=Phạm Thị Thu Hồi|v3_person|20240101000000Z|20440101000000Z"
  "nosign|rsa|/C=VN/O=UBND tỉnh Cao Bằng/CN=Đỗ Văn Mã Hóa|v3_nosign|20240101000000Z|20440101000000Z"
  "ascii|rsa|/C=VN/O=Test Agency/CN=Test Signer|v3_person|20240101000000Z|20440101000000Z"
)
for leaf in "${leaves[@]}"; do
  IFS='|' read -r id kind subj ext start end <<<"$leaf"
  if [ "$kind" = ec ]; then ec_key "$certs/$id.key.pem"; else rsa_key "$certs/$id.key.pem"; fi
  q openssl req -config "$cfg" -new -key "$certs/$id.key.pem" -utf8 -subj "$subj" -out "$certs/$id.csr"
  q openssl ca -batch -config "$cfg" -name issuing -in "$certs/$id.csr" -extensions "$ext" -utf8 \
    -startdate "$start" -enddate "$end" -notext -out "$certs/$id.cert.pem"
  # PKCS#8 for softhsm2-util --import; P12 for the @signpdf baseline in the bench
  q openssl pkcs8 -topk8 -nocrypt -in "$certs/$id.key.pem" -out "$certs/$id.p8.pem"
  q openssl pkcs12 -export -inkey "$certs/$id.key.pem" -in "$certs/$id.cert.pem" -certfile "$ca/issuing.pem" \
    -passout pass:test -out "$certs/$id.p12"
  rm -f "$certs/$id.csr"
done
q openssl ca -batch -config "$cfg" -name issuing -revoke "$certs/revoked.cert.pem" -crl_reason keyCompromise
q openssl ca -batch -config "$cfg" -name issuing -gencrl -out "$ca/issuing.crl.pem"
q openssl ca -batch -config "$cfg" -name root -gencrl -out "$ca/root.crl.pem"
q openssl ca -batch -config "$cfg" -name tsaroot -gencrl -out "$ca/tsa-root.crl.pem"
# OCSP responder (delegated by the issuing CA), made after the CRLs so those stay as they were;
# a copy of the issuing CA's database for `openssl ocsp -index`
rsa_key "$ca/ocsp.key.pem"
q openssl req -config "$cfg" -new -key "$ca/ocsp.key.pem" -utf8 \
  -subj "/C=VN/O=Ban Cơ yếu Chính phủ (THỬ NGHIỆM)/CN=OCSP THỬ NGHIỆM" -out "$ca/ocsp.csr"
q openssl ca -batch -config "$cfg" -name issuing -in "$ca/ocsp.csr" -extensions v3_ocsp -utf8 \
  -startdate 20240101000000Z -enddate 20440101000000Z -notext -out "$ca/ocsp.pem"
rm -f "$ca/ocsp.csr"
cp "$ca/issuing/index.txt" "$ca/issuing-index.txt"
cat "$ca/root.pem" "$ca/issuing.pem" > "$ca/chain.pem"

# SoftHSM2 store of our own
cat > "$out/softhsm2.conf" <<CNF
directories.tokendir = $out/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = true
slots.mechanisms = ALL
library.reset_on_fork = false
CNF
export SOFTHSM2_CONF="$out/softhsm2.conf"
so=12345678
# token label|user PIN|key ids ("certid:hexid,…")
tokens=(
  "NGUYEN VAN A|123456|nguyenvana:01,expired:02,revoked:03,nosign:04"
  "UBND CAO BANG|654321|ubnd:01"
  "TRAN THI BINH EC|111111|tranthibinh:01"
  "ASCII SIGNER|222222|ascii:01"
)
for t in "${tokens[@]}"; do
  IFS='|' read -r label pin keys <<<"$t"
  q softhsm2-util --init-token --free --label "$label" --so-pin "$so" --pin "$pin"
  IFS=',' read -ra pairs <<<"$keys"
  for pair in "${pairs[@]}"; do
    id="${pair%%:*}"; hexid="${pair##*:}"
    q softhsm2-util --import "$certs/$id.p8.pem" --token "$label" --label "$id" --id "$hexid" --pin "$pin"
  done
done
# certificates onto the tokens (softhsm2-util imports keys only)
node "$here/test-pki/put-certs.mjs" "$module" "$repo" "$out" "${tokens[@]}"
rm -f "$out/.err"

node -e '
const [out, ...tokens] = process.argv.slice(1);
const manifest = { module: process.env.SOFTHSM2_MODULE || "/usr/lib/softhsm/libsofthsm2.so", softhsm2Conf: out + "/softhsm2.conf", soPin: "12345678",
  ca: { root: out + "/ca/root.pem", issuing: out + "/ca/issuing.pem", chain: out + "/ca/chain.pem", issuingCrl: out + "/ca/issuing.crl.pem", rootCrl: out + "/ca/root.crl.pem",
    tsaRoot: out + "/ca/tsa-root.pem", tsaRootCrl: out + "/ca/tsa-root.crl.pem", tsa: out + "/ca/tsa.pem", tsaKey: out + "/ca/tsa.key.pem", config: out + "/ca/openssl.cnf",
    ocsp: out + "/ca/ocsp.pem", ocspKey: out + "/ca/ocsp.key.pem", issuingIndex: out + "/ca/issuing-index.txt" },
  tokens: tokens.map((t) => { const [label, pin, keys] = t.split("|"); return { label, pin, keys: keys.split(",").map((p) => { const [id, hex] = p.split(":"); return { id, ckaId: hex, cert: out + "/certs/" + id + ".cert.pem", key: out + "/certs/" + id + ".key.pem", p12: out + "/certs/" + id + ".p12" }; }) }; }) };
require("fs").writeFileSync(out + "/manifest.json", JSON.stringify(manifest, null, 2));
' "$out" "${tokens[@]}"
echo "test PKI ready in $out"
