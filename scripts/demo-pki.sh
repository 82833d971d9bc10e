#!/usr/bin/env bash
# Creates the demo PKI used by `make run` (once; kept under DIR): a root CA, an intermediate CA
# and a client certificate with clientAuth EKU, plus the client certificate as the header
# values proxies would forward. Keys are generated here and never committed.
#   usage: scripts/demo-pki.sh DIR
set -euo pipefail
dir=${1:?usage: demo-pki.sh DIR}
mkdir -p "$dir"
cd "$dir"
[ -f demo-client.pem ] && exit 0

cat > ext.cnf <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:demo-client.certguard.local, URI:spiffe://demo.certguard.local/ns/default/sa/demo-client
CNF

ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ec demo-root-ca.key
ec demo-intermediate-ca.key
ec demo-client.key
openssl req -new -x509 -key demo-root-ca.key -subj "/O=certguard demo/CN=certguard demo root CA" \
  -days 3650 -extfile ext.cnf -extensions root -out demo-root-ca.pem 2>/dev/null \
  || openssl req -new -x509 -key demo-root-ca.key -subj "/O=certguard demo/CN=certguard demo root CA" \
       -days 3650 -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat ext.cnf) -extensions root -out demo-root-ca.pem
openssl req -new -key demo-intermediate-ca.key -subj "/O=certguard demo/CN=certguard demo intermediate CA" \
  -out demo-intermediate-ca.csr
openssl x509 -req -in demo-intermediate-ca.csr -CA demo-root-ca.pem -CAkey demo-root-ca.key \
  -CAcreateserial -days 1825 -extfile ext.cnf -extensions intermediate -out demo-intermediate-ca.pem 2>/dev/null
openssl req -new -key demo-client.key -subj "/O=certguard demo/OU=demo apps/CN=demo-client" -out demo-client.csr
openssl x509 -req -in demo-client.csr -CA demo-intermediate-ca.pem -CAkey demo-intermediate-ca.key \
  -CAcreateserial -days 825 -extfile ext.cnf -extensions client -out demo-client.pem 2>/dev/null
rm -f ./*.csr ./*.srl ext.cnf

# Header values as proxies forward them.
openssl x509 -in demo-client.pem -outform DER | base64 -w0 > demo-client.x-arr-clientcert  # Azure
cat demo-client.pem demo-intermediate-ca.pem > demo-client-chain.pem
chmod 600 ./*.key
echo "demo PKI created in $dir"
