#!/usr/bin/python3
"""A tiny Python client for certguard: ValidateCertificate and Envoy's ext_authz Check.

Python stubs are generated at run time from the project's protos (proto/) with protoc's
--python_out into a temporary directory, and the RPCs are made with grpc's generic
``channel.unary_unary`` (no generated service stubs are needed). Debian 12's
python3-grpc-tools (1.14) bundles a protoc too old for proto3 ``optional`` fields, so the
system protoc (Debian's protobuf-compiler, 3.21, matching python3-protobuf) is used instead.

Run with Debian's interpreter (python3-grpcio, python3-protobuf):

  /usr/bin/python3 client/python/certguard_client.py --target 127.0.0.1:50051 \
      validate --policy demo --cert_file client.pem
  /usr/bin/python3 client/python/certguard_client.py --target 127.0.0.1:50051 \
      check --policy demo --cert_file client.pem [--header x-arr-clientcert=...] [--scheme http]

Each command prints one JSON object (see summarize_validate / summarize_check) and exits 0;
2 on a usage or RPC error.
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile

PROTOS = [
    "certguard/v1/policy.proto",
    "certguard/v1/validator.proto",
    "google/rpc/status.proto",
    "envoy/type/v3/http_status.proto",
    "envoy/config/core/v3/base.proto",
    "envoy/service/auth/v3/attribute_context.proto",
    "envoy/service/auth/v3/external_auth.proto",
]

VALIDATE_METHOD = "/certguard.v1.CertificateValidator/ValidateCertificate"
CHECK_METHOD = "/envoy.service.auth.v3.Authorization/Check"

DEFAULT_PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")


def generate_stubs(proto_dir, out_dir, protoc="protoc"):
    """Writes *_pb2.py for PROTOS into out_dir and puts out_dir first on sys.path."""
    subprocess.run([protoc, "-I" + proto_dir, "--python_out=" + out_dir] + PROTOS, check=True)
    sys.path.insert(0, out_dir)
    validator = importlib.import_module("certguard.v1.validator_pb2")
    ext_authz = importlib.import_module("envoy.service.auth.v3.external_auth_pb2")
    return validator, ext_authz


def envoy_url_encode_pem(pem):
    """attributes.source.certificate as Envoy sends it (include_peer_certificate: true)."""
    for a, b in (("\n", "%0A"), (" ", "%20"), ("+", "%2B"), ("/", "%2F"), ("=", "%3D")):
        pem = pem.replace(a, b)
    return pem


def call(channel, method, request, response_class, timeout):
    rpc = channel.unary_unary(method, request_serializer=lambda m: m.SerializeToString(),
                              response_deserializer=response_class.FromString)
    return rpc(request, timeout=timeout)


def summarize_validate(validator, response):
    return {
        "decision": validator.Decision.Name(response.decision),
        "reason": validator.Reason.Name(response.reason),
        "policy": response.policy_id,
        "revision": response.revision,
        "sha256": response.identity.sha256_thumbprint,
        "subject": response.identity.subject,
    }


def summarize_check(response):
    out = {"status_code": response.status.code}
    if response.HasField("ok_response"):
        out["headers"] = {h.header.key: h.header.value for h in response.ok_response.headers}
        out["headers_to_remove"] = list(response.ok_response.headers_to_remove)
    elif response.HasField("denied_response"):
        out["http_status"] = int(response.denied_response.status.code)
        out["body"] = json.loads(response.denied_response.body)
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--proto_dir", default=DEFAULT_PROTO_DIR)
    parser.add_argument("--protoc", default="protoc")
    parser.add_argument("--timeout", type=float, default=10.0, help="deadline of each call, seconds")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("validate", "check"):
        p = sub.add_parser(name)
        p.add_argument("--policy", default="")
        p.add_argument("--cert_file", help="PEM certificate: ValidateCertificate's header value "
                       "(format PEM) / Check's peer certificate")
        p.add_argument("--header", action="append", default=[],
                       help="NAME=VALUE forwarded header (Check: lower-cased like Envoy)")
        p.add_argument("--path", default="/")
        p.add_argument("--scheme", default="https")
    args = parser.parse_args(argv)

    import grpc  # Debian's python3-grpcio

    pem = ""
    if args.cert_file:
        with open(args.cert_file, encoding="ascii") as f:
            pem = f.read()
    headers = []
    for item in args.header:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error("--header wants NAME=VALUE")
        headers.append((name, value))

    with tempfile.TemporaryDirectory(prefix="certguard-py-") as out_dir:
        validator, ext_authz = generate_stubs(args.proto_dir, out_dir, args.protoc)
        with grpc.insecure_channel(args.target) as channel:
            try:
                if args.command == "validate":
                    request = validator.ValidateCertificateRequest(
                        policy_id=args.policy, path=args.path, is_https=(args.scheme == "https"))
                    if pem:
                        request.header_value = pem
                        request.format = validator.PEM
                    for name, value in headers:
                        request.headers.add(name=name, value=value)
                    response = call(channel, VALIDATE_METHOD, request,
                                    validator.ValidateCertificateResponse, args.timeout)
                    print(json.dumps(summarize_validate(validator, response), sort_keys=True))
                else:
                    request = ext_authz.CheckRequest()
                    attributes = request.attributes
                    if pem:
                        attributes.source.certificate = envoy_url_encode_pem(pem)
                    http = attributes.request.http
                    http.path = args.path
                    http.scheme = args.scheme
                    http.method = "GET"
                    for name, value in headers:
                        http.headers[name.lower()] = value
                    if args.policy:
                        attributes.context_extensions["certguard_policy"] = args.policy
                    response = call(channel, CHECK_METHOD, request, ext_authz.CheckResponse,
                                    args.timeout)
                    print(json.dumps(summarize_check(response), sort_keys=True))
            except grpc.RpcError as e:
                print(json.dumps({"rpc_error": e.code().name, "message": e.details()}, sort_keys=True))
                return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
