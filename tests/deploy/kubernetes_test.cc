// deploy/kubernetes/base (the Kustomize base of the validation tier) hangs together: ports,
// probes, flags, labels, selectors, mounts and the policy ConfigMap agree with each other, with
// deploy/Dockerfile, with the sidecar example and the Istio provider, and with certguard itself
// (the probes name services the server registers; the ConfigMap's policies load with the real
// registry loader once the CA ConfigMap holds real certificates).
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "certguard/v1/validator.pb.h"
#include "server/policy/registry_loader.h"
#include "tests/deploy/manifests.h"
#include "tests/testing/cert_factory.h"

namespace certguard {
namespace {

using ::certguard::deploy_testing::Find;
using ::certguard::deploy_testing::Flags;
using ::certguard::deploy_testing::HostOf;
using ::certguard::deploy_testing::LoadAllDocs;
using ::certguard::deploy_testing::LoadKustomization;
using ::certguard::deploy_testing::Object;
using ::certguard::deploy_testing::PortOf;
using ::certguard::deploy_testing::Selects;
using ::certguard::deploy_testing::SourcePath;
using ::certguard::testing::CertFactory;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::testing::IsSubsetOf;

constexpr char kBase[] = "deploy/kubernetes/base";

// The validator's gRPC service name, from the generated descriptor (not a copy of the string).
std::string ValidatorServiceName() {
  const auto* service = v1::ValidateCertificateRequest::descriptor()->file()->FindServiceByName("CertificateValidator");
  return service == nullptr ? "" : service->full_name();
}

// Health service names the server marks SERVING (server/runtime/server.cc SetServing): the
// server as a whole and each service it hosts.
std::set<std::string> RegisteredHealthNames() {
  return {"", ValidatorServiceName(), "envoy.service.auth.v3.Authorization"};
}

struct Base {
  std::vector<Object> objects = LoadKustomization(kBase);
  YAML::Node kustomization = LoadAllDocs(std::string(kBase) + "/kustomization.yaml").at(0);
  YAML::Node deployment = Find(objects, "Deployment");
  YAML::Node pod = deployment["spec"]["template"];
  YAML::Node container;
  std::map<std::string, std::string> flags;
  std::map<std::string, int> ports;  // container port name -> number

  Base() {
    for (const auto& c : pod["spec"]["containers"]) {
      if (c["name"].as<std::string>() == "certguard") container = static_cast<const YAML::Node&>(c);
    }
    if (!container.IsMap()) {
      ADD_FAILURE() << "no container named certguard";
      return;
    }
    flags = Flags(container["args"]);
    for (const auto& p : container["ports"]) ports[p["name"].as<std::string>()] = p["containerPort"].as<int>();
  }

  std::vector<YAML::Node> All(const std::string& kind) const {
    std::vector<YAML::Node> out;
    for (const auto& o : objects)
      if (o.kind == kind) out.push_back(o.node);
    return out;
  }
  // A Service targetPort (name or number) resolved against the container's ports; -1 if unknown.
  int Resolve(const YAML::Node& target_port) const {
    int n = 0;
    const std::string text = target_port.as<std::string>();
    if (absl::SimpleAtoi(text, &n)) {
      for (const auto& [name, port] : ports)
        if (port == n) return n;
      return -1;
    }
    auto it = ports.find(text);
    return it == ports.end() ? -1 : it->second;
  }
  // The volume mounted at `path` in the certguard container, as its ConfigMap's name ("" if none).
  std::string ConfigMapMountedAt(const std::string& path) const {
    std::string volume;
    for (const auto& m : container["volumeMounts"]) {
      if (m["mountPath"].as<std::string>() == path) volume = m["name"].as<std::string>();
    }
    for (const auto& v : pod["spec"]["volumes"]) {
      if (v["name"].as<std::string>() == volume && v["configMap"]) return v["configMap"]["name"].as<std::string>();
    }
    return "";
  }
};

const Base& B() {
  static const Base* base = new Base();
  return *base;
}

TEST(KubernetesBaseTest, EveryManifestIsListedAndWellFormed) {
  std::set<std::string> listed;
  for (const auto& r : B().kustomization["resources"]) listed.insert(r.as<std::string>());
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath(kBase))) {
    const std::string name = entry.path().filename().string();
    if (name != "kustomization.yaml" && (absl::EndsWith(name, ".yaml") || absl::EndsWith(name, ".yml"))) {
      on_disk.insert(name);
    }
  }
  EXPECT_EQ(listed, on_disk) << "every manifest in the base is a kustomization resource";
  std::set<std::string> kinds;
  for (const auto& o : B().objects) {
    kinds.insert(o.kind);
    // The namespace comes from the kustomization, so the base can be re-targeted.
    EXPECT_FALSE(o.node["metadata"]["namespace"].IsDefined()) << o.file << ": " << o.name;
  }
  EXPECT_THAT((std::set<std::string>{"Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler",
                                     "PodDisruptionBudget", "NetworkPolicy"}),
              IsSubsetOf(kinds));
  EXPECT_FALSE(B().kustomization["namespace"].as<std::string>().empty());
}

TEST(KubernetesBaseTest, DeploymentShape) {
  const YAML::Node& d = B().deployment;
  EXPECT_EQ(d["apiVersion"].as<std::string>(), "apps/v1");
  EXPECT_EQ(d["spec"]["replicas"].as<int>(), 3);
  EXPECT_TRUE(Selects(d["spec"]["selector"]["matchLabels"], B().pod["metadata"]["labels"]));
  // Every image the kustomization retags is the container's image repository.
  const std::string image = B().container["image"].as<std::string>();
  for (const auto& i : B().kustomization["images"]) {
    EXPECT_TRUE(absl::StartsWith(image, i["name"].as<std::string>() + ":")) << image;
  }
}

TEST(KubernetesBaseTest, FlagsAgreeWithContainerPorts) {
  const auto& flags = B().flags;
  ASSERT_TRUE(flags.count("listen"));
  ASSERT_TRUE(flags.count("metrics_listen"));
  ASSERT_TRUE(B().ports.count("grpc"));
  ASSERT_TRUE(B().ports.count("metrics"));
  // Reachable from the kubelet and other pods: not loopback.
  EXPECT_EQ(HostOf(flags.at("listen")), "0.0.0.0");
  EXPECT_EQ(HostOf(flags.at("metrics_listen")), "0.0.0.0");
  EXPECT_EQ(PortOf(flags.at("listen")), B().ports.at("grpc"));
  EXPECT_EQ(PortOf(flags.at("metrics_listen")), B().ports.at("metrics"));
  EXPECT_EQ(B().ports.size(), 2u);
  // The Prometheus scrape annotations point at the metrics port.
  const YAML::Node annotations = B().pod["metadata"]["annotations"];
  EXPECT_EQ(annotations["prometheus.io/port"].as<std::string>(), std::to_string(B().ports.at("metrics")));
  EXPECT_EQ(annotations["prometheus.io/path"].as<std::string>(), "/metrics");
  // Reload on ConfigMap changes: a positive --watch_interval (absl duration, e.g. 10s).
  ASSERT_TRUE(flags.count("watch_interval"));
  const std::string interval = flags.at("watch_interval");
  int value = 0;
  ASSERT_TRUE(absl::EndsWith(interval, "s") && absl::SimpleAtoi(interval.substr(0, interval.size() - 1), &value))
      << interval;
  EXPECT_GT(value, 0);
  EXPECT_LE(value, 60);
}

TEST(KubernetesBaseTest, ProbesAreGrpcOnTheServingPortWithRegisteredNames) {
  ASSERT_FALSE(ValidatorServiceName().empty());
  const std::set<std::string> registered = RegisteredHealthNames();
  for (const char* probe : {"startupProbe", "readinessProbe", "livenessProbe"}) {
    SCOPED_TRACE(probe);
    const YAML::Node p = B().container[probe];
    ASSERT_TRUE(p["grpc"].IsMap()) << "not a native gRPC probe";
    EXPECT_EQ(p["grpc"]["port"].as<int>(), B().ports.at("grpc"));
    const std::string service = p["grpc"]["service"] ? p["grpc"]["service"].as<std::string>() : "";
    EXPECT_TRUE(registered.count(service)) << "the server registers no health status named '" << service << "'";
  }
  EXPECT_EQ(B().container["readinessProbe"]["grpc"]["service"].as<std::string>(), ValidatorServiceName());
  EXPECT_EQ(B().container["livenessProbe"]["grpc"]["service"].as<std::string>(), "");
}

TEST(KubernetesBaseTest, ResourcesAndSecurityContext) {
  const YAML::Node r = B().container["resources"];
  for (const char* kind : {"requests", "limits"}) {
    for (const char* what : {"cpu", "memory"}) EXPECT_TRUE(r[kind][what].IsDefined()) << kind << "." << what;
  }
  const YAML::Node pod_sc = B().pod["spec"]["securityContext"];
  const YAML::Node sc = B().container["securityContext"];
  EXPECT_TRUE(pod_sc["runAsNonRoot"].as<bool>());
  EXPECT_TRUE(sc["runAsNonRoot"].as<bool>());
  EXPECT_GT(pod_sc["runAsUser"].as<int>(), 0);
  EXPECT_EQ(sc["runAsUser"].as<int>(), pod_sc["runAsUser"].as<int>());
  EXPECT_TRUE(sc["readOnlyRootFilesystem"].as<bool>());
  EXPECT_FALSE(sc["allowPrivilegeEscalation"].as<bool>());
  EXPECT_EQ(sc["capabilities"]["drop"][0].as<std::string>(), "ALL");
  EXPECT_FALSE(B().pod["spec"]["automountServiceAccountToken"].as<bool>());
}

TEST(KubernetesBaseTest, ServicesSelectThePodsAndTargetTheContainerPorts) {
  std::vector<YAML::Node> services = B().All("Service");
  ASSERT_EQ(services.size(), 2u);
  int headless = 0, cluster_ip = 0;
  for (const auto& s : services) {
    SCOPED_TRACE(s["metadata"]["name"].as<std::string>());
    EXPECT_TRUE(Selects(s["spec"]["selector"], B().pod["metadata"]["labels"]));
    if (s["spec"]["clusterIP"] && s["spec"]["clusterIP"].as<std::string>() == "None") {
      ++headless;
    } else {
      ++cluster_ip;
      EXPECT_EQ(s["spec"]["type"].as<std::string>(), "ClusterIP");
    }
    bool grpc = false;
    for (const auto& p : s["spec"]["ports"]) {
      const int target = B().Resolve(p["targetPort"]);
      EXPECT_NE(target, -1) << "targetPort " << p["targetPort"].as<std::string>() << " is no container port";
      if (target == B().ports.at("grpc")) {
        grpc = true;
        EXPECT_EQ(p["appProtocol"].as<std::string>(), "grpc");
        EXPECT_EQ(p["port"].as<int>(), PortOf(B().flags.at("listen")));
      }
    }
    EXPECT_TRUE(grpc) << "no port reaches the gRPC listener";
  }
  EXPECT_EQ(headless, 1);
  EXPECT_EQ(cluster_ip, 1);
}

TEST(KubernetesBaseTest, HpaPdbAndNetworkPolicyTargetTheDeployment) {
  const YAML::Node hpa = Find(B().objects, "HorizontalPodAutoscaler");
  EXPECT_EQ(hpa["apiVersion"].as<std::string>(), "autoscaling/v2");
  EXPECT_EQ(hpa["spec"]["scaleTargetRef"]["apiVersion"].as<std::string>(), "apps/v1");
  EXPECT_EQ(hpa["spec"]["scaleTargetRef"]["kind"].as<std::string>(), "Deployment");
  EXPECT_EQ(hpa["spec"]["scaleTargetRef"]["name"].as<std::string>(),
            B().deployment["metadata"]["name"].as<std::string>());
  const int min_replicas = hpa["spec"]["minReplicas"].as<int>();
  EXPECT_EQ(min_replicas, B().deployment["spec"]["replicas"].as<int>());
  EXPECT_GT(hpa["spec"]["maxReplicas"].as<int>(), min_replicas);
  const YAML::Node metric = hpa["spec"]["metrics"][0];
  EXPECT_EQ(metric["type"].as<std::string>(), "Resource");
  EXPECT_EQ(metric["resource"]["name"].as<std::string>(), "cpu");
  EXPECT_EQ(metric["resource"]["target"]["type"].as<std::string>(), "Utilization");
  // Utilization is relative to the request, which must therefore exist.
  EXPECT_TRUE(B().container["resources"]["requests"]["cpu"].IsDefined());

  const YAML::Node pdb = Find(B().objects, "PodDisruptionBudget");
  EXPECT_EQ(pdb["apiVersion"].as<std::string>(), "policy/v1");
  EXPECT_TRUE(Selects(pdb["spec"]["selector"]["matchLabels"], B().pod["metadata"]["labels"]));
  if (pdb["spec"]["maxUnavailable"]) {
    EXPECT_GE(pdb["spec"]["maxUnavailable"].as<int>(), 1);  // drains can proceed
    EXPECT_LT(pdb["spec"]["maxUnavailable"].as<int>(), min_replicas);
  } else {
    EXPECT_LT(pdb["spec"]["minAvailable"].as<int>(), min_replicas);
  }

  const YAML::Node np = Find(B().objects, "NetworkPolicy");
  EXPECT_TRUE(Selects(np["spec"]["podSelector"]["matchLabels"], B().pod["metadata"]["labels"]));
  EXPECT_EQ(np["spec"]["policyTypes"][0].as<std::string>(), "Ingress");
  std::multiset<int> allowed;
  for (const auto& rule : np["spec"]["ingress"]) {
    EXPECT_GT(rule["from"].size(), 0u) << "an ingress rule without sources admits everyone";
    for (const auto& p : rule["ports"]) allowed.insert(B().Resolve(p["port"]));
  }
  EXPECT_EQ(allowed, (std::multiset<int>{B().ports.at("grpc"), B().ports.at("metrics")}))
      << "each container port in exactly one rule";
}

TEST(KubernetesBaseTest, PolicyConfigMapIsMountedAtPolicyDir) {
  const std::string policy_dir = B().flags.at("policy_dir");
  const std::string name = B().ConfigMapMountedAt(policy_dir);
  ASSERT_FALSE(name.empty()) << "no ConfigMap mounted at --policy_dir " << policy_dir;
  const YAML::Node cm = Find(B().objects, "ConfigMap", name);
  ASSERT_TRUE(cm["data"].IsMap());
  for (const auto& kv : cm["data"]) {
    const std::string key = kv.first.as<std::string>();
    // The loader reads *.yaml / *.yml and skips dot files (the mount's ..data links).
    EXPECT_TRUE(absl::EndsWith(key, ".yaml") || absl::EndsWith(key, ".yml")) << key;
    EXPECT_FALSE(absl::StartsWith(key, ".")) << key;
  }
  // The Dockerfile's default flags name the same directory.
  EXPECT_THAT(*deploy_testing::ReadSource("deploy/Dockerfile"),
              ::testing::HasSubstr("--policy_dir=" + policy_dir + "\""));
}

// Writes the policy ConfigMap to `dir`/policies with the CA mount path rewritten to `dir`/ca,
// and the CA ConfigMap's keys to `dir`/ca (generated certificates unless `literal_ca`).
// Returns false (with failures recorded) when the policies name CA files that are not keys of
// the CA ConfigMap mounted where they point.
bool MaterializeRegistry(const std::string& dir, bool literal_ca, std::set<std::string>* policy_ids) {
  const std::string policy_dir = B().flags.at("policy_dir");
  const YAML::Node policies_cm = Find(B().objects, "ConfigMap", B().ConfigMapMountedAt(policy_dir));
  std::string ca_mount;
  for (const auto& m : B().container["volumeMounts"]) {
    const std::string path = m["mountPath"].as<std::string>();
    if (path != policy_dir && !B().ConfigMapMountedAt(path).empty()) ca_mount = path;
  }
  if (ca_mount.empty()) {
    ADD_FAILURE() << "no CA ConfigMap mounted next to the policies";
    return false;
  }
  const YAML::Node ca_cm = Find(B().objects, "ConfigMap", B().ConfigMapMountedAt(ca_mount));

  static const TestCert* root = new TestCert(CertFactory::SelfSigned(
      {.cn = "Deploy Root",
       .not_before = absl::UnixEpoch(),
       .not_after = absl::FromCivil(absl::CivilSecond(9999, 1, 1, 0, 0, 0), absl::UTCTimeZone()),
       .is_ca = true}));
  static const TestCert* issuing = new TestCert(
      CertFactory::Issue({.cn = "Deploy Issuing CA",
                          .not_before = absl::UnixEpoch(),
                          .not_after = absl::FromCivil(absl::CivilSecond(9999, 1, 1, 0, 0, 0), absl::UTCTimeZone()),
                          .is_ca = true},
                         *root));

  bool ok = true;
  for (const auto& kv : policies_cm["data"]) {
    const std::string text = kv.second.as<std::string>();
    for (const auto& doc : YAML::LoadAll(text)) {
      for (const auto& p : doc["policies"]) {
        policy_ids->insert(p["id"].as<std::string>());
        for (const char* list : {"anchor_files", "intermediate_files"}) {
          for (const auto& f : p["trust"][list]) {
            const std::string path = f.as<std::string>();
            if (!absl::StartsWith(path, ca_mount + "/")) {
              ADD_FAILURE() << p["id"].as<std::string>() << ": " << path << " is not under the CA mount " << ca_mount;
              ok = false;
              continue;
            }
            const std::string key = path.substr(ca_mount.size() + 1);
            if (!ca_cm["data"][key]) {
              ADD_FAILURE() << path << ": the CA ConfigMap has no key " << key;
              ok = false;
              continue;
            }
            const std::string pem = literal_ca ? ca_cm["data"][key].as<std::string>()
                                               : (std::string(list) == "anchor_files" ? root->pem() : issuing->pem());
            WriteFile(dir + "/ca/" + key, pem);
          }
        }
      }
    }
    WriteFile(dir + "/policies/" + kv.first.as<std::string>(),
              absl::StrReplaceAll(text, {{ca_mount + "/", dir + "/ca/"}}));
  }
  return ok;
}

TEST(KubernetesBaseTest, PolicyConfigMapLoadsWithTheRegistryLoader) {
  const std::string dir = MakeTempDir("k8s-registry");
  std::set<std::string> ids;
  ASSERT_TRUE(MaterializeRegistry(dir, /*literal_ca=*/false, &ids));
  policy::LoadResult result = policy::LoadRegistry(dir + "/policies", absl::Now());
  ASSERT_TRUE(result.ok()) << result.ErrorSummary();
  std::set<std::string> loaded;
  for (const auto& p : result.registry->policies()) loaded.insert(p->id);
  EXPECT_EQ(loaded, ids);
  // --ext_authz_default_policy (for Istio) names one of them.
  if (B().flags.count("ext_authz_default_policy")) {
    EXPECT_TRUE(loaded.count(B().flags.at("ext_authz_default_policy")));
  }
  // The Envoy example's routes (which a sidecar or gateway in front of this tier would use)
  // choose policies that exist here.
  for (const auto& doc : LoadAllDocs("deploy/envoy/envoy.yaml")) {
    for (const auto& listener : doc["static_resources"]["listeners"]) {
      for (const auto& chain : listener["filter_chains"]) {
        for (const auto& filter : chain["filters"]) {
          for (const auto& vhost : filter["typed_config"]["route_config"]["virtual_hosts"]) {
            for (const auto& route : vhost["routes"]) {
              YAML::Node ext = route["typed_per_filter_config"]["envoy.filters.http.ext_authz"]["check_settings"]
                                    ["context_extensions"]["certguard_policy"];
              if (ext) {
                EXPECT_TRUE(loaded.count(ext.as<std::string>())) << ext.as<std::string>();
              }
            }
          }
        }
      }
    }
  }
}

TEST(KubernetesBaseTest, PlaceholderCaIsRefusedSoPodsFailClosed) {
  const std::string dir = MakeTempDir("k8s-placeholder");
  std::set<std::string> ids;
  ASSERT_TRUE(MaterializeRegistry(dir, /*literal_ca=*/true, &ids));
  EXPECT_FALSE(policy::LoadRegistry(dir + "/policies", absl::Now()).ok());
}

TEST(KubernetesBaseTest, SidecarExampleAndIstioProviderAgreeWithTheBase) {
  // deploy/kubernetes/sidecar/pod.yaml runs the same image with the same policy ConfigMap.
  YAML::Node pod = LoadAllDocs("deploy/kubernetes/sidecar/pod.yaml").at(0);
  YAML::Node sidecar;
  for (const auto& c : pod["spec"]["containers"]) {
    if (c["name"].as<std::string>() == "certguard") sidecar = static_cast<const YAML::Node&>(c);
  }
  ASSERT_TRUE(sidecar.IsMap());
  EXPECT_EQ(sidecar["image"].as<std::string>(), B().container["image"].as<std::string>());
  EXPECT_EQ(Flags(sidecar["args"]).at("policy_dir"), B().flags.at("policy_dir"));
  std::string sidecar_cm;
  for (const auto& v : pod["spec"]["volumes"]) {
    if (v["configMap"] && v["name"].as<std::string>() == "certguard-policies") {
      sidecar_cm = v["configMap"]["name"].as<std::string>();
    }
  }
  EXPECT_EQ(sidecar_cm, B().ConfigMapMountedAt(B().flags.at("policy_dir")));

  // deploy/istio's ext_authz provider points at the ClusterIP Service in the base's namespace.
  YAML::Node provider = LoadAllDocs("deploy/istio/mesh-config.yaml")
                            .at(0)["spec"]["meshConfig"]["extensionProviders"][0]["envoyExtAuthzGrpc"];
  std::string fqdn;
  int port = -1;
  for (const auto& s : B().All("Service")) {
    if (s["spec"]["clusterIP"]) continue;  // the headless one
    fqdn = absl::StrCat(s["metadata"]["name"].as<std::string>(), ".", B().kustomization["namespace"].as<std::string>(),
                        ".svc.cluster.local");
    for (const auto& p : s["spec"]["ports"]) {
      if (p["name"].as<std::string>() == "grpc") port = p["port"].as<int>();
    }
  }
  EXPECT_EQ(provider["service"].as<std::string>(), fqdn);
  EXPECT_EQ(provider["port"].as<int>(), port);
}

}  // namespace
}  // namespace certguard
