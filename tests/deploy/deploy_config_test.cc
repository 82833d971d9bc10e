// The deployment examples under deploy/ parse as YAML and agree with each other and with
// certguard: the Envoy ext_authz filter points at a defined cluster on certguard's port with the
// settings certguard relies on, routes choose policies through context_extensions, the Istio
// provider name matches the AuthorizationPolicy, and the sidecar Pod's certguard flags agree
// with Envoy's cluster and with its ConfigMap mount.
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace certguard {
namespace {

using ::testing::ElementsAre;

std::string Path(const std::string& relative) { return std::string(CERTGUARD_SOURCE_DIR) + "/" + relative; }

YAML::Node Load(const std::string& relative) {
  try {
    return YAML::LoadFile(Path(relative));
  } catch (const YAML::Exception& e) {
    ADD_FAILURE() << relative << ": " << e.what();
    return YAML::Node();
  }
}

// All documents of a (possibly multi-document) file.
std::vector<YAML::Node> LoadAll(const std::string& relative) {
  try {
    return YAML::LoadAllFromFile(Path(relative));
  } catch (const YAML::Exception& e) {
    ADD_FAILURE() << relative << ": " << e.what();
    return {};
  }
}

struct Envoy {
  YAML::Node root = Load("deploy/envoy/envoy.yaml");

  YAML::Node Hcm() const {
    for (const auto& listener : root["static_resources"]["listeners"]) {
      for (const auto& chain : listener["filter_chains"]) {
        for (const auto& filter : chain["filters"]) {
          if (filter["name"].as<std::string>() == "envoy.filters.network.http_connection_manager") {
            return filter["typed_config"];
          }
        }
      }
    }
    return YAML::Node();
  }
  YAML::Node ExtAuthz() const {
    for (const auto& filter : Hcm()["http_filters"]) {
      if (filter["name"].as<std::string>() == "envoy.filters.http.ext_authz") return filter["typed_config"];
    }
    return YAML::Node();
  }
  YAML::Node Cluster(const std::string& name) const {
    for (const auto& cluster : root["static_resources"]["clusters"]) {
      if (cluster["name"].as<std::string>() == name) return cluster;
    }
    return YAML::Node();
  }
  static YAML::Node SocketAddress(const YAML::Node& cluster) {
    return cluster["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]["socket_address"];
  }
};

TEST(DeployConfigTest, EveryExampleIsWellFormedYaml) {
  for (const char* file : {"deploy/envoy/envoy.yaml", "deploy/istio/mesh-config.yaml",
                           "deploy/istio/authorization-policy.yaml", "deploy/kubernetes/sidecar/pod.yaml"}) {
    SCOPED_TRACE(file);
    std::vector<YAML::Node> docs = LoadAll(file);
    ASSERT_FALSE(docs.empty());
    for (const auto& doc : docs) EXPECT_TRUE(doc.IsMap());
  }
}

TEST(DeployConfigTest, EnvoyExtAuthzFilterPointsAtCertguard) {
  Envoy envoy;
  YAML::Node ext = envoy.ExtAuthz();
  ASSERT_TRUE(ext.IsMap());
  EXPECT_EQ(ext["@type"].as<std::string>(), "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz");
  EXPECT_EQ(ext["transport_api_version"].as<std::string>(), "V3");
  EXPECT_TRUE(ext["include_peer_certificate"].as<bool>());
  EXPECT_FALSE(ext["failure_mode_allow"].as<bool>());
  EXPECT_EQ(ext["grpc_service"]["timeout"].as<std::string>(), "0.25s");
  const std::string cluster_name = ext["grpc_service"]["envoy_grpc"]["cluster_name"].as<std::string>();
  YAML::Node cluster = envoy.Cluster(cluster_name);
  ASSERT_TRUE(cluster.IsMap()) << "no cluster named " << cluster_name;
  EXPECT_EQ(Envoy::SocketAddress(cluster)["address"].as<std::string>(), "127.0.0.1");
  EXPECT_EQ(Envoy::SocketAddress(cluster)["port_value"].as<int>(), 50051);  // certguard's default --listen
  // gRPC needs HTTP/2 to the cluster.
  EXPECT_TRUE(cluster["typed_extension_protocol_options"]["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]
                     ["explicit_http_config"]["http2_protocol_options"]
                         .IsDefined());
  // The ext_authz filter runs before the router.
  YAML::Node filters = envoy.Hcm()["http_filters"];
  ASSERT_GE(filters.size(), 2u);
  EXPECT_EQ(filters[0]["name"].as<std::string>(), "envoy.filters.http.ext_authz");
  EXPECT_EQ(filters[filters.size() - 1]["name"].as<std::string>(), "envoy.filters.http.router");
}

TEST(DeployConfigTest, EnvoyListenerRequiresClientCertificates) {
  Envoy envoy;
  YAML::Node tls = envoy.root["static_resources"]["listeners"][0]["filter_chains"][0]["transport_socket"];
  ASSERT_TRUE(tls.IsMap());
  EXPECT_EQ(tls["typed_config"]["@type"].as<std::string>(),
            "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext");
  EXPECT_TRUE(tls["typed_config"]["require_client_certificate"].as<bool>());
  EXPECT_TRUE(tls["typed_config"]["common_tls_context"]["validation_context"].IsMap());
}

TEST(DeployConfigTest, RoutesChoosePoliciesThroughContextExtensions) {
  Envoy envoy;
  std::set<std::string> policy_ids;
  for (const auto& doc : LoadAll("deploy/policies/demo.yaml")) {
    for (const auto& p : doc["policies"]) policy_ids.insert(p["id"].as<std::string>());
  }
  int routes_with_policy = 0;
  for (const auto& vhost : envoy.Hcm()["route_config"]["virtual_hosts"]) {
    for (const auto& route : vhost["routes"]) {
      YAML::Node per_route = route["typed_per_filter_config"]["envoy.filters.http.ext_authz"];
      if (!per_route.IsDefined()) continue;
      EXPECT_EQ(per_route["@type"].as<std::string>(),
                "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute");
      YAML::Node extensions = per_route["check_settings"]["context_extensions"];
      std::vector<std::string> keys;
      for (const auto& kv : extensions) keys.push_back(kv.first.as<std::string>());
      EXPECT_THAT(keys, ElementsAre("certguard_policy"));
      const std::string policy = extensions["certguard_policy"].as<std::string>();
      EXPECT_TRUE(policy_ids.count(policy)) << policy << " is not in deploy/policies/demo.yaml";
      ++routes_with_policy;
    }
  }
  EXPECT_GE(routes_with_policy, 2);
}

TEST(DeployConfigTest, IstioProviderMatchesTheAuthorizationPolicy) {
  YAML::Node mesh = Load("deploy/istio/mesh-config.yaml");
  YAML::Node policy = Load("deploy/istio/authorization-policy.yaml");
  YAML::Node providers = mesh["spec"]["meshConfig"]["extensionProviders"];
  ASSERT_TRUE(providers.IsSequence());
  YAML::Node provider;
  for (const auto& p : providers) {
    if (p["envoyExtAuthzGrpc"].IsDefined()) provider = static_cast<const YAML::Node&>(p);
  }
  ASSERT_TRUE(provider.IsMap()) << "no envoyExtAuthzGrpc provider";
  EXPECT_EQ(provider["envoyExtAuthzGrpc"]["port"].as<int>(), 50051);
  EXPECT_FALSE(provider["envoyExtAuthzGrpc"]["service"].as<std::string>().empty());
  EXPECT_EQ(policy["kind"].as<std::string>(), "AuthorizationPolicy");
  EXPECT_EQ(policy["spec"]["action"].as<std::string>(), "CUSTOM");
  EXPECT_EQ(policy["spec"]["provider"]["name"].as<std::string>(), provider["name"].as<std::string>());
}

TEST(DeployConfigTest, SidecarPodAgreesWithEnvoyAndMountsThePolicies) {
  YAML::Node pod = Load("deploy/kubernetes/sidecar/pod.yaml");
  EXPECT_EQ(pod["kind"].as<std::string>(), "Pod");
  YAML::Node certguard;
  std::set<std::string> names;
  for (const auto& c : pod["spec"]["containers"]) {
    names.insert(c["name"].as<std::string>());
    if (c["name"].as<std::string>() == "certguard") certguard = static_cast<const YAML::Node&>(c);
  }
  EXPECT_EQ(names, (std::set<std::string>{"app", "envoy", "certguard"}));
  ASSERT_TRUE(certguard.IsMap());
  std::string listen, policy_dir;
  for (const auto& arg : certguard["args"]) {
    const std::string a = arg.as<std::string>();
    if (a.rfind("--listen=", 0) == 0) listen = a.substr(9);
    if (a.rfind("--policy_dir=", 0) == 0) policy_dir = a.substr(13);
  }
  ASSERT_FALSE(listen.empty());
  ASSERT_FALSE(policy_dir.empty());

  Envoy envoy;
  YAML::Node cluster = envoy.Cluster(envoy.ExtAuthz()["grpc_service"]["envoy_grpc"]["cluster_name"].as<std::string>());
  YAML::Node address = Envoy::SocketAddress(cluster);
  EXPECT_EQ(listen, address["address"].as<std::string>() + ":" + address["port_value"].as<std::string>());

  std::string mounted_volume;
  for (const auto& m : certguard["volumeMounts"]) {
    if (m["mountPath"].as<std::string>() == policy_dir) mounted_volume = m["name"].as<std::string>();
  }
  ASSERT_FALSE(mounted_volume.empty()) << "nothing is mounted at --policy_dir " << policy_dir;
  bool config_map = false;
  for (const auto& v : pod["spec"]["volumes"]) {
    if (v["name"].as<std::string>() == mounted_volume) config_map = v["configMap"]["name"].IsDefined();
  }
  EXPECT_TRUE(config_map) << mounted_volume << " is not a ConfigMap volume";
}

}  // namespace
}  // namespace certguard
