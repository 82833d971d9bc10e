#!/usr/bin/env node
// Calls certguard's ValidateCertificate from Node.js: the smallest complete example.
//
// The service definition is loaded at run time from the project's protos
// (proto/certguard/v1/validator.proto, include dir proto/) with @grpc/proto-loader; calls go
// through @grpc/grpc-js. Install once: `npm install --prefix client/node`.
//
//   node client/node/validate.js --target 127.0.0.1:50051 --policy demo \
//       --header_name X-ARR-ClientCert --header_file .demo/pki/demo-client.x-arr-clientcert
//
// Flags mirror the C++ CLI (`certguard validate`). Prints one JSON line (decision, reason,
// message, policy_id, revision, format, subject, sha256_thumbprint, sha1_thumbprint, spiffe_id);
// exit status 0 ALLOW, 1 DENY, 2 error (an RPC error prints {"rpc_error": CODE, "message": ...}).
'use strict';

const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const DEFAULT_PROTO_DIR = path.join(__dirname, '..', '..', 'proto');

function usage(message) {
  process.stderr.write(`validate.js: ${message}\n`);
  process.exit(2);
}

// Loads certguard.v1 with field names as in the .proto (policy_id, not policyId) and enums as
// their names, matching the C++ CLI's JSON.
function loadValidator(protoDir) {
  const definition = protoLoader.loadSync('certguard/v1/validator.proto', {
    includeDirs: [protoDir],
    keepCase: true,
    enums: String,
    longs: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).certguard.v1;
}

// ValidateCertificateRequest from the flags, exactly as the C++ CLI builds it.
function buildRequest(v) {
  const sources = ['header_value', 'header_file', 'cert_file'].filter((k) => v[k]);
  if (sources.length > 1) usage('give at most one of --header_value, --header_file, --cert_file');
  const request = {
    policy_id: v.policy,
    header_name: v.header_name,
    path: v.path,
    is_https: !v.http,
    caller: v.caller,
    header_value: v.header_value,
  };
  try {
    if (v.header_file) {
      request.header_value = fs.readFileSync(v.header_file, 'latin1').replace(/[\r\n]+$/, '');
    } else if (v.cert_file) {
      request.header_value = fs.readFileSync(v.cert_file, 'latin1');
      request.format = 'PEM';
    }
  } catch (e) {
    usage(e.message);
  }
  if (v.format) request.format = v.format.toUpperCase();
  return request;
}

function summarize(r) {
  const id = r.identity || {};
  return {
    decision: r.decision,
    reason: r.reason,
    message: r.message,
    policy_id: r.policy_id,
    revision: r.revision,
    format: r.format,
    subject: id.subject || '',
    sha256_thumbprint: id.sha256_thumbprint || '',
    sha1_thumbprint: id.sha1_thumbprint || '',
    spiffe_id: id.spiffe_id || '',
  };
}

// JSON with sorted keys, like the Python example (json.dumps(..., sort_keys=True)).
function sortedJson(object) {
  return JSON.stringify(object, Object.keys(object).sort());
}

function main() {
  let v;
  try {
    ({ values: v } = parseArgs({
      options: {
        target: { type: 'string', default: '127.0.0.1:50051' },
        policy: { type: 'string' },
        header_value: { type: 'string', default: '' },
        header_file: { type: 'string' },
        cert_file: { type: 'string' },
        header_name: { type: 'string', default: '' },
        format: { type: 'string', default: '' },
        path: { type: 'string', default: '' },
        http: { type: 'boolean', default: false },
        caller: { type: 'string', default: 'certguard-node' },
        timeout: { type: 'string', default: '5' },
        proto_dir: { type: 'string', default: DEFAULT_PROTO_DIR },
      },
    }));
  } catch (e) {
    usage(e.message);
  }
  if (!v.policy) usage('--policy is required');

  const v1 = loadValidator(v.proto_dir);
  const request = buildRequest(v);
  // round_robin spreads calls over every address a dns:/// target resolves to
  // (e.g. dns:///certguard-headless.certguard.svc:50051).
  const client = new v1.CertificateValidator(v.target, grpc.credentials.createInsecure(), {
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
  });
  const deadline = new Date(Date.now() + Number(v.timeout) * 1000);
  client.ValidateCertificate(request, { deadline }, (err, response) => {
    client.close();
    if (err) {
      const code = Object.keys(grpc.status).find((k) => grpc.status[k] === err.code) || String(err.code);
      process.stdout.write(sortedJson({ rpc_error: code, message: err.details }) + '\n');
      process.exitCode = 2;
      return;
    }
    process.stdout.write(sortedJson(summarize(response)) + '\n');
    process.exitCode = response.decision === 'ALLOW' ? 0 : 1;
  });
}

main();
