#!/usr/bin/python3
"""Calls certguard's ValidateCertificate from Python: the smallest complete example.

Message classes are generated at run time from the project's protos (proto/) by the system
protoc (certguard_client.generate_stubs), and the call is grpc's generic ``unary_unary``; only
Debian packages are needed (python3-grpcio, python3-protobuf, protobuf-compiler).

  /usr/bin/python3 client/python/validate.py --target 127.0.0.1:50051 --policy demo \\
      --header_name X-ARR-ClientCert --header_file .demo/pki/demo-client.x-arr-clientcert

Flags mirror the C++ CLI (`certguard validate`). Prints one JSON line (decision, reason,
message, policy_id, revision, format, subject, sha256_thumbprint, sha1_thumbprint, spiffe_id);
exit status 0 ALLOW, 1 DENY, 2 error (an RPC error prints {"rpc_error": CODE, "message": ...}).
"""

import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from certguard_client import DEFAULT_PROTO_DIR, VALIDATE_METHOD, call, generate_stubs  # noqa: E402


def build_request(validator, args):
    """ValidateCertificateRequest from the flags, exactly as the C++ CLI builds it."""
    request = validator.ValidateCertificateRequest(
        policy_id=args.policy, header_name=args.header_name, path=args.path,
        is_https=not args.http, caller=args.caller)
    if args.header_file:
        with open(args.header_file, encoding="ascii") as f:
            request.header_value = f.read().rstrip("\r\n")  # an editor's newline is not part of it
    elif args.cert_file:
        with open(args.cert_file, encoding="ascii") as f:
            request.header_value = f.read()
        request.format = validator.PEM
    else:
        request.header_value = args.header_value
    if args.format:
        request.format = validator.HeaderFormat.Value(args.format.upper())
    return request


def summarize(validator, response):
    identity = response.identity
    return {
        "decision": validator.Decision.Name(response.decision),
        "reason": validator.Reason.Name(response.reason),
        "message": response.message,
        "policy_id": response.policy_id,
        "revision": response.revision,
        "format": validator.HeaderFormat.Name(response.format),
        "subject": identity.subject,
        "sha256_thumbprint": identity.sha256_thumbprint,
        "sha1_thumbprint": identity.sha1_thumbprint,
        "spiffe_id": identity.spiffe_id,
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", default="127.0.0.1:50051",
                        help="host:port, or dns:///certguard-headless.NS.svc:50051")
    parser.add_argument("--policy", required=True)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--header_value", default="")
    source.add_argument("--header_file", help="file holding the raw header value")
    source.add_argument("--cert_file", help="PEM certificate (chain), sent with format PEM")
    parser.add_argument("--header_name", default="")
    parser.add_argument("--format", default="", help="BASE64_DER, PEM, XFCC, ...; default detect")
    parser.add_argument("--path", default="")
    parser.add_argument("--http", action="store_true", help="the request arrived over plain HTTP")
    parser.add_argument("--caller", default="certguard-python")
    parser.add_argument("--timeout", type=float, default=5.0, help="deadline, seconds")
    parser.add_argument("--proto_dir", default=DEFAULT_PROTO_DIR)
    parser.add_argument("--protoc", default="protoc")
    args = parser.parse_args(argv)

    import grpc  # Debian's python3-grpcio

    with tempfile.TemporaryDirectory(prefix="certguard-py-") as out_dir:
        validator, _ = generate_stubs(args.proto_dir, out_dir, args.protoc)
        try:
            request = build_request(validator, args)
        except (OSError, ValueError) as e:
            print("validate.py: %s" % e, file=sys.stderr)
            return 2
        # round_robin spreads calls over every address a dns:/// target resolves to.
        options = [("grpc.lb_policy_name", "round_robin")]
        with grpc.insecure_channel(args.target, options=options) as channel:
            try:
                response = call(channel, VALIDATE_METHOD, request,
                                validator.ValidateCertificateResponse, args.timeout)
            except grpc.RpcError as e:
                print(json.dumps({"rpc_error": e.code().name, "message": e.details()}, sort_keys=True))
                return 2
    print(json.dumps(summarize(validator, response), sort_keys=True))
    return 0 if response.decision == validator.ALLOW else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
