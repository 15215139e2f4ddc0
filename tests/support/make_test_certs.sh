#!/bin/sh
# Certificates for the client TLS tests (tests/sync/client/tls_client_test.cpp), made with the
# Linux openssl command; the Windows tests under Wine run this script through unix_run.sh.
#
#   make_test_certs.sh DIR
#
# Writes into DIR (PEM, RSA 2048, valid 2 days):
#   ca.crt ca.key                the province's own CA (what a laptop is told to trust)
#   hub.crt hub.key              the hub, signed by ca, for 127.0.0.1 and localhost
#   elsewhere.crt elsewhere.key  signed by ca, but for another host (hub.tinh-khac.vn, 10.9.8.7)
#   stranger_ca.crt              a CA nobody was told to trust (its key is deleted)
#   stranger.crt stranger.key    signed by stranger_ca, for 127.0.0.1
#   self.crt self.key            self-signed, for 127.0.0.1
# Exits non-zero if any openssl step fails.
set -eu
dir=$1
cd "$dir"

ca() {  # NAME CN
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/O=Go Cua test/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$1.key" -out "$1.crt" 2>/dev/null
}
leaf() {  # NAME CA SAN
  openssl req -new -newkey rsa:2048 -nodes -subj "/O=Go Cua test/CN=hub" \
    -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca "Go Cua test province CA"
leaf hub ca "IP:127.0.0.1,DNS:localhost"
leaf elsewhere ca "DNS:hub.tinh-khac.vn,IP:10.9.8.7"
ca stranger_ca "Go Cua test stranger CA"
leaf stranger stranger_ca "IP:127.0.0.1,DNS:localhost"
rm -f stranger_ca.key
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/O=Go Cua test/CN=127.0.0.1" \
  -addext subjectAltName=IP:127.0.0.1 -keyout self.key -out self.crt 2>/dev/null
rm -f ./*.srl
