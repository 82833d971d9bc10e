#!/usr/bin/env bash
# Regenerates the sample header values in this folder from a fresh, throwaway PKI.
#
# Needs only openssl, coreutils and awk. Private keys live in a temporary directory that is
# deleted on exit: only certificates (public) and header values are written here. Running it
# again produces different keys and certificates; commit the outputs together.
#
# Usage: tests/testdata/headers/generate.sh
set -euo pipefail
cd "$(dirname "$0")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

subject_o="certguard samples"

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# issue <out.pem> <subject> <extensions> <issuer.pem|-> <issuer.key|-> <key>
issue() {
  local out="$1" subj="$2" ext="$3" ca="$4" ca_key="$5" key="$6"
  printf '%b' "$ext" > "$tmp/ext.cnf"
  openssl req -new -key "$key" -subj "$subj" -out "$tmp/req.csr"
  if [ "$ca" = "-" ]; then
    openssl x509 -req -in "$tmp/req.csr" -signkey "$key" -days 3650 -sha256 \
      -set_serial "0x$(openssl rand -hex 16)" -extfile "$tmp/ext.cnf" -out "$out" 2>/dev/null
  else
    openssl x509 -req -in "$tmp/req.csr" -CA "$ca" -CAkey "$ca_key" -days 3650 -sha256 \
      -set_serial "0x$(openssl rand -hex 16)" -extfile "$tmp/ext.cnf" -out "$out" 2>/dev/null
  fi
}

ca_ext='basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n'
leaf_ext='basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:client.example.com,URI:spiffe://example.com/ns/default/sa/client\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n'

new_key "$tmp/root.key"
issue root.pem "/O=$subject_o/CN=Sample Root CA" "$ca_ext" - - "$tmp/root.key"
new_key "$tmp/intermediate.key"
issue intermediate.pem "/O=$subject_o/CN=Sample Intermediate CA" \
  "${ca_ext}authorityKeyIdentifier=keyid\n" root.pem "$tmp/root.key" "$tmp/intermediate.key"

# The leaf's base64 must contain '+' and '/', the characters proxies mangle; retry until it does.
for attempt in $(seq 1 50); do
  new_key "$tmp/leaf.key"
  issue leaf.pem "/O=$subject_o/CN=client.example.com" "$leaf_ext" \
    intermediate.pem "$tmp/intermediate.key" "$tmp/leaf.key"
  body="$(sed '/-----/d' leaf.pem | tr -d '\n')"
  case "$body" in *+*/*|*/*+*) break ;; esac
  [ "$attempt" -lt 50 ] || { echo "no leaf with '+' and '/' after 50 tries" >&2; exit 1; }
done

new_key "$tmp/other.key"
issue other.pem "/O=another proxy/CN=other.example.com" "$leaf_ext" - - "$tmp/other.key"

# --- encoders -----------------------------------------------------------------------------
der_b64() { openssl x509 -in "$1" -outform DER | base64 -w0; }
pem_body() { sed '/-----/d' "$1"; }
sha256_hex() { openssl x509 -in "$1" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1; }

# percent <all|alb>: "all" escapes every byte but RFC 3986 unreserved ones (nginx
# $ssl_client_escaped_cert, Envoy); "alb" escapes only space and LF (AWS ALB: '+', '=' and '/'
# stay raw).
percent() {
  od -An -v -tx1 | awk -v mode="$1" '
    BEGIN { hex = "0123456789abcdef" }
    {
      for (i = 1; i <= NF; i++) {
        h = $i
        v = (index(hex, substr(h, 1, 1)) - 1) * 16 + index(hex, substr(h, 2, 1)) - 1
        if (mode == "alb") keep = (v != 32 && v != 10)
        else keep = (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) ||
                    v == 45 || v == 46 || v == 95 || v == 126
        if (keep) printf "%c", v; else printf "%%%s", toupper(h)
      }
    }'
}

# nginx $ssl_client_cert: a TAB before every line but the first, no final line break.
tabbed() { awk 'NR > 1 { printf "\n\t" } { printf "%s", $0 }' "$1"; }

out() { printf '%s' "$2" > "$1"; }

chain_pem="$(cat leaf.pem intermediate.pem root.pem)"
leaf_b64="$(der_b64 leaf.pem)"
inter_b64="$(der_b64 intermediate.pem)"
root_b64="$(der_b64 root.pem)"
leaf_hash="$(sha256_hex leaf.pem)"
leaf_url="$(percent all < leaf.pem)"
chain_url="$(printf '%s\n' "$chain_pem" | percent all)"
other_url="$(percent all < other.pem)"

# --- good values --------------------------------------------------------------------------
out base64_der__azure_arr_leaf.txt "$leaf_b64"
printf '%s\n' "$(pem_body leaf.pem)" > pem_body__seed_node_python.txt
printf '%s\n' "$chain_pem" > pem__chain.txt
out url_encoded_pem__alb_leaf.txt "$(percent alb < leaf.pem)"
out url_encoded_pem__alb_passthrough_chain.txt "$(printf '%s\n' "$chain_pem" | percent alb)"
out url_encoded_pem__nginx_escaped.txt "$leaf_url"
out nginx_tabbed_pem__ssl_client_cert.txt "$(tabbed leaf.pem)"
out traefik__chain.txt "$leaf_b64,$inter_b64,$root_b64"
out traefik__query_escaped.txt \
  "$(printf '%s' "$leaf_b64,$inter_b64" | sed -e 's/+/%2B/g' -e 's|/|%2F|g' -e 's/=/%3D/g' -e 's/,/%2C/g')"
out rfc9440__client_cert.txt ":$leaf_b64:"
out rfc9440__client_cert_chain.txt ":$inter_b64:, :$root_b64:"
envoy="By=spiffe://cluster.local/ns/default/sa/gateway;Hash=$leaf_hash;Cert=\"$leaf_url\";Subject=\"CN=client.example.com,O=$subject_o\";URI=spiffe://example.com/ns/default/sa/client;DNS=client.example.com"
out xfcc__envoy.txt "$envoy"
out xfcc__chain_and_cert.txt "Hash=$leaf_hash;Cert=\"$leaf_url\";Chain=\"$chain_url\""
out xfcc__two_elements.txt "By=spiffe://edge;Cert=\"$other_url\";Subject=\"CN=other.example.com\",$envoy"
out xfcc__smuggled_cert_in_subject.txt \
  "Subject=\"CN=x\\\";Cert=$other_url;y=\\\"\";Cert=\"$leaf_url\";URI=spiffe://example.com/ns/default/sa/client"

# --- malformed values ---------------------------------------------------------------------
out base64_der__junk_appended.txt "$leaf_b64!!"
out base64_der__nul_byte.txt "${leaf_b64:0:40}"
printf '\0' >> base64_der__nul_byte.txt
printf '%s' "${leaf_b64:40}" >> base64_der__nul_byte.txt
out pem__chain_cut_short.txt "$(printf '%s\n' "$chain_pem" | head -n -3)"
out pem__trailing_garbage.txt "$(cat leaf.pem)
garbage"
out url_encoded_pem__plus_decoded_as_space.txt "$(percent alb < leaf.pem | tr '+' ' ')"
out url_encoded_pem__invalid_escape.txt "$(percent alb < leaf.pem)%G1"
out traefik__empty_member.txt "$leaf_b64,,$inter_b64"
out rfc9440__garbage_parameters.txt ":$leaf_b64:;Bad=1"
out xfcc__hash_mismatch.txt "Hash=$(sha256_hex intermediate.pem);Cert=\"$leaf_url\""
out xfcc__duplicate_cert.txt "Cert=\"$leaf_url\";Cert=\"$other_url\""
out xfcc__unterminated_quote.txt "Cert=\"$leaf_url\";Subject=\"CN=x"
out unknown__junk.txt "this is not a certificate"

echo "generated $(ls -1 ./*__*.txt | wc -l) sample values"
