// Fixed RSA certificates and keys for tests of certificates the bridge did
// not make (imported ones): made once with
//   openssl req -x509 -newkey rsa:BITS -nodes -days 27000 -subj /CN=NAME
//     -addext subjectAltName=... -addext basicConstraints=CA:FALSE
//     -addext extendedKeyUsage=serverAuth (and, for the 2048-bit one,
//     -addext keyUsage=digitalSignature,keyEncipherment)
// valid from 2026-12-03T10:24:39Z to 2100-11-05T10:24:39Z (the 1024-bit one
// five minutes later). Test keys only: they protect nothing.
#ifndef TELEMED_TLS_CERTIFICATE_TESTDATA_H_
#define TELEMED_TLS_CERTIFICATE_TESTDATA_H_

#include <cstdint>

#include "tls/certificate.h"

namespace telemed {
namespace tls {
namespace testdata {

// A clinic's own self-signed server certificate for "clinic.example",
// valid over [from, until] (GenerateSelfSigned's errors).
inline Status MakeClinicCertificate(int64_t from, int64_t until,
                                    RandomSource* random,
                                    CertificateAndKey* out) {
  CertificateSpec spec;
  spec.common_name = "clinic.example";
  spec.dns_names = {"clinic.example"};
  spec.not_before = from;
  spec.not_after = until;
  return GenerateSelfSigned(spec, random, out);
}

// 2026-12-03T10:24:39Z and 2100-11-05T10:24:39Z.
constexpr int64_t kRsaNotBefore = 1796293479;
constexpr int64_t kRsaNotAfter = 4129093479;
// `openssl x509 -noout -fingerprint -sha256` of kRsa2048Cert.
constexpr char kRsa2048Fingerprint[] =
    "88:79:95:3A:B5:DE:95:43:02:23:A6:46:22:17:C8:E6:90:14:1F:71:2D:7C:50:7B:"
    "5C:76:F3:95:3B:66:4B:65";

// CN clinic.example; SANs DNS clinic.example, IP 192.0.2.7.
inline constexpr char kRsa2048Cert[] = R"(-----BEGIN CERTIFICATE-----
MIIDVDCCAjygAwIBAgIUFZ9ye5q7M9cn0tiNlA9FEHvY09YwDQYJKoZIhvcNAQEL
BQAwGTEXMBUGA1UEAwwOY2xpbmljLmV4YW1wbGUwIBcNMjYxMjAzMTAyNDM5WhgP
MjEwMDExMDUxMDI0MzlaMBkxFzAVBgNVBAMMDmNsaW5pYy5leGFtcGxlMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1a0lpiviUSiu05LYvd3S+ODRNkgM
IyA0be58URd5r5jgKTFo3KFiHVvrq7G6WB9P5Zz4+4sh6TB2VkKRstejNMAmZLrX
uqxf+PvqgxS1QKMaCQAC2Pt6cDW4gfa+mN6o11BVB0ktKvXUVytS+tPSYjz9Sj+s
DJ3mpN25WKoUD5bk8LYsspc+27T/yT453YAKA4sO6cWAUX0Cn9TWveoRLEdLgX6a
GlN4NxqBiiftNvTclLxZtPHb3j4gv0vp7wN8Dn9dbpri33R+p+X3+cES2WihJ1nY
xRYV9Rs+wEFFxSfTYUXuKoaRRdKM+NvxOt4GOpET6ivKHcCpFreZD4TaAwIDAQAB
o4GRMIGOMB0GA1UdDgQWBBSPQf+3arwbb55CgnnPBBpuoraAszAfBgNVHSMEGDAW
gBSPQf+3arwbb55CgnnPBBpuoraAszAfBgNVHREEGDAWgg5jbGluaWMuZXhhbXBs
ZYcEwAACBzATBgNVHSUEDDAKBggrBgEFBQcDATALBgNVHQ8EBAMCBaAwCQYDVR0T
BAIwADANBgkqhkiG9w0BAQsFAAOCAQEAH35NJQxcNWyB4wuD0M5V7NfA+tCB2xgP
SSPXUShMUjuYLY1wA3/4fCr9JRd/6C3/fA58Yv1saU5K9JmkgldUwuJIkMy4ytiB
aR67rHPf+KbbjCi5DSLwSvVQP47biEpJYsktsSdTx8AxZBs68KMYEUkHjPBcU354
fJH7FsUkw2e0oLUM7wzHbC4n4uuGAssrRImp3e/I9hjsrOfx5kHNK2KJ0Y6D2qOP
3xYAezL8IxivrGPceJ/pD6nj82h9uQVnFCVX1dcVRwP7jPRVc+3yHykVyrXb4Ixc
qISfHNZyITI3kJsABNlqsQh9bfENBc9k9XqYiALJIAXPRkc6VtaHoA==
-----END CERTIFICATE-----
)";
inline constexpr char kRsa2048Key[] = R"(-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDVrSWmK+JRKK7T
kti93dL44NE2SAwjIDRt7nxRF3mvmOApMWjcoWIdW+ursbpYH0/lnPj7iyHpMHZW
QpGy16M0wCZkute6rF/4++qDFLVAoxoJAALY+3pwNbiB9r6Y3qjXUFUHSS0q9dRX
K1L609JiPP1KP6wMneak3blYqhQPluTwtiyylz7btP/JPjndgAoDiw7pxYBRfQKf
1Na96hEsR0uBfpoaU3g3GoGKJ+029NyUvFm08dvePiC/S+nvA3wOf11umuLfdH6n
5ff5wRLZaKEnWdjFFhX1Gz7AQUXFJ9NhRe4qhpFF0oz42/E63gY6kRPqK8odwKkW
t5kPhNoDAgMBAAECggEACDbtXRuPyk31lqWtFnOKMk42TM9tRAZvbZB/EAEGiRUn
/P1syhqcMoO/piyhfNTLVgj4W3dIWPYnfn51qnn2yMbgUvwJ4h/RWrmYlOx9YVxD
2ne5JE1asiimjLyHLEpXFFv+wNZz2ZR00tsUCBePnX45wJp9C0kgvlLV1s5HEihJ
bOv2eQRe9TUcRrrRiByMKTq6XQMkmyyp7RwJaTMBqWovTMkFdA/107zTN0mpNRoI
dJO2q46GTBHpT0hq2PfqoKQ+X1TyM5sKDjDyShKZluqfdRlIotGn8MBMWC5ma8e3
RoTByONgVkzfbiJfSg3zM+GsdcX0vLdtc2i2355euQKBgQDvjhqjLfaJbSnLKj/x
mOMDiP1UVSbSYAvjRA5xd8dw6mRqnNj8mmaV20vfJgv1nCHHG2k9pl3x0dnm9sco
fPKDTvwcYC6yz/41BLwSJAxnRV3eIg0yq25RYIVyufAWllLoISrb8njU9fil5Pbs
IBwdES6AixDx4YCeiOaMT8J9KQKBgQDkWEFFCWTQTIyUMvmU8B5lDBEZDRMpDyJ3
1LEOUyY/R/KOFgvb4NEbFhbHxWkwenApyMO3YyVuVOsFLoJnyeEN02PbIuo6eEvm
pfUqXfj8Gbxia5f3hzWV5rXlLLMsn9spgw/QDsjfp0NZB57EIk2LSyGdIZcPCPjz
JmoKu9+XSwKBgFUUd0l1TZZJewp5GvTHg/kBcle9VmhpTE+PIEIUdHUaCkgDJN2y
SLT4id3bOWwl46k/hwUqTTtReL6a7ujmV4tjRg8d6ff//xz9bX5T50PWUxxNo7pX
QHsOeNbiSu76vL9M6FftqhSYt5LT2w7J6LI6I/Xrbj06BeBIZvl2anDhAoGAKJH1
pspwewHeyEX2ShwPimyGbSkBin4B5cCIZL8pQH0L/2qzWLGs9V8LVRsiAVb/rqzY
+TBIaj30M8t7p+0aa1Zvm3Osog7VjXlXAdwIbOI1slbjfTssriF7l+hFPVx5l/qN
SK4XyoTxVlQgRUDC/kivBDf/mtBBSxI8LQQMSdkCgYACu1CTVPt6KS9M2NNomffo
Xtk/fgzy6yL2hNzi2xsos/ofoQeJfuItR+I/JPbfVb7i8ELqlhhp15SqFqS8U5CN
VVC1FzapjWxO/4/DtkxyvhDeiwSx62CDhAIv+7IR0derMNctzg1YiF1F4TL129u3
zDdtl9tA43J7hgidUzaLwg==
-----END PRIVATE KEY-----
)";
// kRsa2048Key under the passphrase "secret" (openssl pkey -aes256).
inline constexpr char kRsa2048EncryptedKey[] =
    R"(-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIGxZoJiP7uxQCAggA
MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBCPHPTT+8HOad7HBSfeH0GvBIIE
0DLdhwJBTXTgADbM9ymRdJOKzgP/YFVeKkC/FKEVMsUqpuyhqPZ07P4VugXaeJoY
lt1QBvudUxXUcNLZEviqR1HFaf+cvaYMChnls6u1aBqNC18i9c02xBzs2TsPoCE0
3r4cpv6+42fIHCUvLtW+UrWxkKyONLQ1FG+4uwurZe+y2y3f9UAUuEVv/Nqnc4NO
BeGiLPDskqdWlDA/GdlEoGV6E16atxQCBNnC7ncWTHZBGpISVO+wrl+WzIf8w8eD
Sd0FllhVU3PtSIvsVAqsgP6Ze7NSXcU6bmqoaFvrd4+MOO7f5kp7wpt2pVXXtiAN
ux6xBEkcDn86H+2sz9TXAxNmUiGYTWy0iH7EZjTtrnDRUW11yOg1IwAmMY2eS/9M
F+svDoGARG/M0gwumIhoL0A7HQhywLuG+2EzXbXGUmbAPFcPO7doqB6G5AS7jLDR
mOS/VYtKf3IXwM4nU/RGq/Bc9KmooCuHOk54WNEGKYWnIV6dwRqt+a5l42sSKPkk
bRiGLIPWpTQhTelqSKSHxvzPAm9Ox3nWc4GAK55kMMsVpzSWQ80yPW+3ha6mkyFf
gxkItY98FGDswj/Z4C2/zig+2JcCp36jcWnk1OTYfx2pXFmjW6b8QJ2YmEwM2hA8
LUGrZp1SwK+fic7+a6rmpwdiMbzj1ID/oPqQeGthkbd9o32VcdWTgzSlbBmjGQsY
mkwJ2qoQhkCpKPcpkc87wQTiXPlT6S6q4KcwGIK5ias/2HHVACZ7YS9JkQtV8HAR
lH3fS2qmP0Ygvklip79UYZKyLD5xjLCXnTzfg5ZQhSDFuBePSDtY+w2gvY2GNGYK
ngDisjHyXba/U1WoKLkLu133mq9pZeFhUvqgrLUx+ZlKP/TENxtubpmF48/XsLwP
D0rF8j2ZETaLP0Fe5MNpZBaXOcIOPa9U1px2KsJ1yNBhDpn/0yF+/jaoEw18mAUc
cpgtd0L0k28mPOxgojEzDDm7MZbVEI9vym24Ukgg8mKbQlBBUdbgiKzfgMqWcILw
T5bVNG1WRjhGbC/MI6/yRj9GUSfeCOk6nB/48KZo4tKvxlTsqz3rgsNuLvXTAEp9
7+GjfY6zXz5rcaF+QUs+NCrjZjyOX7YBH8fEs/cE6ov9V/ACAwAm2iabjiSArSjr
Ys4FTkEg0OigJekZ/K886mI8JruXnqZgC/5XVfLkRm/zbzLTmWKRJ7k/6Aq8F/6Q
KQGDOtdVXvo+FnYp8IALwzjuRZIqSH55NtqB0op9eyN105qa5ZlsXBFbHxZRsuhB
6ykQjG7eOUxhYLX3euewqC4hg+vwi2Fh0aOOpSW8QdNCBgTponN9ZZgdG5YcZFd1
Rtdwj8KCWYtHoQFBVdupowVYAo14b+qYuWCqwxaTb9kPqPqLIghUgUl3+czBlIwl
iJgVk9Kh5XNpL9aU5OVwBI7gra7ENE8UYpZWh92cTbT1G6bELUoXnKcf+d2zo8xc
cQm5qADCv15IFKOdMvUQU0B3hpmI0aQe4yNEJPFpgEKdtAoxEikKD2K4M5Cizlc5
wEtshTE2a0sO3WTNPnK3pSPdf6kTg0XSFrUf6s8dIkJqw4tQtgGUOVmfZSP1F14c
HA8C3mdZXQCnH9kLpuhUohWCGeP3iqy8d3GDTu+aeoJ/
-----END ENCRYPTED PRIVATE KEY-----
)";

// CN weak.example; SAN DNS weak.example; a 1024-bit key.
inline constexpr char kRsa1024Cert[] = R"(-----BEGIN CERTIFICATE-----
MIICNzCCAaCgAwIBAgIUfcqrBW+x3afjvPzPEhdNnYzO/LkwDQYJKoZIhvcNAQEL
BQAwFzEVMBMGA1UEAwwMd2Vhay5leGFtcGxlMCAXDTI2MTIwMzEwMjkzMVoYDzIx
MDAxMTA1MTAyOTMxWjAXMRUwEwYDVQQDDAx3ZWFrLmV4YW1wbGUwgZ8wDQYJKoZI
hvcNAQEBBQADgY0AMIGJAoGBALUaY+HsICbEYchVz88XZ9kg0MsWmneYV2DmCSwt
ru+6/AWT7wuT26B+WyjZQVOru0pnWMinTQnmZhEjONBwvhhfbnkwv7rGNrrBau/M
mhxWemKgp+zodyZsU7oNdDca083uGk+mjlMkshI4iscToQEwKDVtRJK73eEmqS1P
dCNFAgMBAAGjfjB8MB0GA1UdDgQWBBT+YyzG2buXK4Xuweb+1RBKdGY1vDAfBgNV
HSMEGDAWgBT+YyzG2buXK4Xuweb+1RBKdGY1vDAXBgNVHREEEDAOggx3ZWFrLmV4
YW1wbGUwDAYDVR0TAQH/BAIwADATBgNVHSUEDDAKBggrBgEFBQcDATANBgkqhkiG
9w0BAQsFAAOBgQASrqZY+pQMXPSodKgXQG32zxJc+kKG0n1m3aMVgmdX54UVoqXM
dJ9HzWc2jiPo9qXkqDKaHxlkLnWl7aPr+CsdQuYNA4AmV6jZGGfcixSgnoXgP9x+
sDWUOPEoAcKxLWQGUThaO/tl9s1Po+XyYFBRAh8gnfYFr9fyzJIwuiSwjw==
-----END CERTIFICATE-----
)";
inline constexpr char kRsa1024Key[] = R"(-----BEGIN PRIVATE KEY-----
MIICdAIBADANBgkqhkiG9w0BAQEFAASCAl4wggJaAgEAAoGBALUaY+HsICbEYchV
z88XZ9kg0MsWmneYV2DmCSwtru+6/AWT7wuT26B+WyjZQVOru0pnWMinTQnmZhEj
ONBwvhhfbnkwv7rGNrrBau/MmhxWemKgp+zodyZsU7oNdDca083uGk+mjlMkshI4
iscToQEwKDVtRJK73eEmqS1PdCNFAgMBAAECgYAhXW1NcB00RzXknLqeYqeFPyB4
af+nTO+8MGU8OGZkUESiGnEN5v2tgdn1mqEIczkcKhIXVYtB6aqgOab77+l1cLI9
dvBaGDuMfuRrDadKkEQA80zBrYABEeqdIuGsYICVYzEjSRMdlPNkFNd0Mw2Cd3BW
VRdxhoy6XAYdx+Kn+QJBANzgdqfGiMrUZUL8rnR9pZCu8raO4bF3a72zhX00svZv
FMrihBT3wPUjfgFePZ2GKzjGdC+FQZ93DD4ljtBxmZsCQQDR5s2Lxqs0uTTq12D6
F3SejtB8XAXzfyUJNb78ETm3pW+RwdBbIaVk1vFVFFgMb/QC8QEdkQoq0Ga5Q8LW
WvSfAkBMrv1i+FGLobvaSuHCfdDab3LCoM6Ij35vaQFCW+Z6Gkyst4HFydJLCVx4
2yAnLWqaFoRF70y+MVWlyeJQSfBbAj9EDZCWwNLBRUri2PGYJAKrZaIyr6M+Tvqz
Abnp/6u23uxNVYk4ArCdARM9glsJrUJvsbOq4ltphifH6TBCTzsCQBWnLDAttuzB
UIyMRowi5oOcwBM98jHdoh4b66Czru3GfjD9301dZusCh2d5J4OF4sBBxpKzBIqC
74eSmrqBTMI=
-----END PRIVATE KEY-----
)";

}  // namespace testdata
}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_CERTIFICATE_TESTDATA_H_
