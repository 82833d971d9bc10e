#include "server/core/request_view.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "certguard/v1/validator.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/testing/request_view_diff.h"
#include "tests/testing/sample_request.h"

namespace certguard::core {
namespace {

using ::certguard::testing::FullRequest;
using ::certguard::testing::RequestViewDifference;

std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string Tag(uint32_t number, uint32_t type) { return Varint((uint64_t{number} << 3) | type); }
std::string Bytes(uint32_t number, const std::string& payload) {
  return Tag(number, 2) + Varint(payload.size()) + payload;
}

TEST(RequestViewTest, ReadsEveryFieldAsTheGeneratedParserDoes) {
  const std::string wire = FullRequest().SerializeAsString();
  RequestView view;
  ASSERT_TRUE(ParseRequestView(wire, &view));
  EXPECT_EQ(view.policy_id, "orders-api");
  EXPECT_EQ(view.header_name, "X-ARR-ClientCert");
  EXPECT_EQ(view.header_value.size(), 1602u);
  EXPECT_EQ(view.format, v1::PEM);
  EXPECT_EQ(view.path, "/orders/1");
  ASSERT_TRUE(view.is_https.has_value());
  EXPECT_FALSE(*view.is_https);
  ASSERT_EQ(view.headers.size(), 2u);
  EXPECT_EQ(view.headers[0].name, "Client-Cert");
  EXPECT_EQ(view.headers[0].format, v1::RFC9440);
  EXPECT_EQ(view.headers[1].value, ":MIIC:, :MIID:");
  EXPECT_EQ(RequestViewDifference(wire), "");
  // Views point into the wire bytes: nothing was copied.
  EXPECT_GE(view.header_value.data(), wire.data());
  EXPECT_LE(view.header_value.data() + view.header_value.size(), wire.data() + wire.size());
}

TEST(RequestViewTest, EmptyBytesAreAnEmptyRequest) {
  RequestView view;
  ASSERT_TRUE(ParseRequestView("", &view));
  EXPECT_TRUE(view.policy_id.empty());
  EXPECT_FALSE(view.is_https.has_value());
  EXPECT_TRUE(view.headers.empty());
}

TEST(RequestViewTest, UnknownFieldsOfEveryWireTypeAreSkipped) {
  const std::string known = Bytes(1, "p") + Bytes(2, "v");
  const std::string unknown = Tag(99, 0) + Varint(123456789) +       // varint
                              Tag(98, 1) + std::string(8, '\x01') +  // fixed64
                              Bytes(97, "ignored") +                 // length-delimited
                              Tag(96, 3) + Tag(1, 0) + Varint(5) + Tag(2, 3) + Tag(2, 4) + Tag(96, 4) +  // group
                              Tag(95, 5) + std::string(4, '\x02');                                       // fixed32
  for (const std::string& wire : {unknown + known, known + unknown, Bytes(1, "p") + unknown + Bytes(2, "v")}) {
    RequestView view;
    ASSERT_TRUE(ParseRequestView(wire, &view));
    EXPECT_EQ(view.policy_id, "p");
    EXPECT_EQ(view.header_value, "v");
    EXPECT_EQ(RequestViewDifference(wire), "");
  }
  // Unknown fields inside a forwarded header, too.
  EXPECT_EQ(RequestViewDifference(Bytes(7, Tag(9, 0) + Varint(1) + Bytes(1, "n"))), "");
}

TEST(RequestViewTest, TheLastValueOfASingularFieldWins) {
  const std::string wire = Bytes(1, "first") + Tag(4, 0) + Varint(2) + Bytes(1, "second") + Tag(4, 0) + Varint(3) +
                           Tag(6, 0) + Varint(0) + Tag(6, 0) + Varint(7);
  RequestView view;
  ASSERT_TRUE(ParseRequestView(wire, &view));
  EXPECT_EQ(view.policy_id, "second");
  EXPECT_EQ(view.format, 3);
  EXPECT_EQ(view.is_https, std::optional<bool>(true));
  EXPECT_EQ(RequestViewDifference(wire), "");
}

TEST(RequestViewTest, AKnownFieldWithAnotherWireTypeIsAnUnknownField) {
  for (const std::string& wire : {Tag(1, 0) + Varint(5), Tag(2, 5) + std::string(4, 'x'), Bytes(4, "xx"), Bytes(6, "y"),
                                  Tag(7, 0) + Varint(1), Tag(8, 1) + std::string(8, 'z')}) {
    RequestView view;
    EXPECT_TRUE(ParseRequestView(wire, &view));
    EXPECT_TRUE(view.policy_id.empty());
    EXPECT_EQ(RequestViewDifference(wire), "") << ::testing::PrintToString(wire);
  }
}

TEST(RequestViewTest, EnumAndBoolVarintsTruncateAsGeneratedCodeDoes) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{0x7fffffff}, uint64_t{0x80000000}, uint64_t{0x100000005},
                     ~uint64_t{0}, uint64_t{1} << 63}) {
    const std::string wire = Tag(4, 0) + Varint(v) + Tag(6, 0) + Varint(v) + Bytes(7, Tag(3, 0) + Varint(v));
    EXPECT_EQ(RequestViewDifference(wire), "") << v;
  }
}

TEST(RequestViewTest, InvalidUtf8IsRefusedInEveryStringField) {
  const std::string bad = "abc\xff";
  const std::string long_bad = std::string(200, 'a') + "\xc3" + std::string(100, 'b');  // cut sequence past 64 bytes
  const std::string long_good = std::string(200, 'a') + "\xc3\xa9" + std::string(100, 'b');
  for (uint32_t field : {1u, 2u, 3u, 5u, 8u}) {
    RequestView view;
    EXPECT_FALSE(ParseRequestView(Bytes(field, bad), &view)) << field;
    EXPECT_FALSE(ParseRequestView(Bytes(field, long_bad), &view)) << field;
    EXPECT_TRUE(ParseRequestView(Bytes(field, long_good), &view)) << field;
    EXPECT_EQ(RequestViewDifference(Bytes(field, bad)), "");
    EXPECT_EQ(RequestViewDifference(Bytes(field, long_bad)), "");
    EXPECT_EQ(RequestViewDifference(Bytes(field, long_good)), "");
  }
  for (uint32_t field : {1u, 2u}) {
    RequestView view;
    EXPECT_FALSE(ParseRequestView(Bytes(7, Bytes(field, bad)), &view));
    EXPECT_EQ(RequestViewDifference(Bytes(7, Bytes(field, long_bad))), "");
  }
  // Overlong encodings and surrogates are not UTF-8 either.
  for (const char* s : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    EXPECT_EQ(RequestViewDifference(Bytes(2, s)), "");
  }
}

TEST(RequestViewTest, MalformedBytesAreRefusedLikeTheGeneratedParser) {
  const std::vector<std::string> cases = {
      std::string(1, '\0'),                  // tag 0
      Bytes(1, "p") + std::string(1, '\0'),  // tag 0 after a field
      Tag(1, 4),                             // stray end-group
      Tag(5, 3),                             // group never closed
      Tag(5, 3) + Tag(6, 4),                 // closed with another number
      std::string("\x02\x00", 2),            // field number 0
      Tag(1, 6),
      Tag(1, 7),                                           // wire types that do not exist
      "\x80\x80\x80\x80\x80\x01",                          // 6-byte tag
      "\x80\x80\x80\x80\x10",                              // 5-byte tag past 32 bits
      Tag(4, 0) + std::string(10, '\x80') + "\x01",        // 11-byte varint
      Tag(4, 0) + std::string(9, '\xff') + "\x01",         // 10-byte varint
      Tag(2, 2) + "\x80\x80\x80\x80\x08",                  // length of 2 GiB
      Tag(2, 2) + std::string("\x80\x80\x80\x80\x00", 5),  // zero length in 5 bytes
      Tag(2, 2) + "\x05" + "abc",                          // length past the end
      Tag(2, 2),                                           // no length
      Tag(4, 0),                                           // no value
      Tag(9, 1) + "1234567",                               // short fixed64
      Tag(9, 5) + "123",                                   // short fixed32
      Bytes(7, Tag(1, 4)),                                 // end-group inside a forwarded header
      Bytes(7, std::string(1, '\0')),                      // tag 0 inside a forwarded header
      Bytes(7, Tag(2, 2) + "\x09" + "abc"),                // inner length past the inner end
  };
  for (const std::string& wire : cases) {
    EXPECT_EQ(RequestViewDifference(wire), "") << ::testing::PrintToString(wire);
  }
  RequestView view;
  EXPECT_FALSE(ParseRequestView(std::string(1, '\0'), &view));
  EXPECT_FALSE(ParseRequestView(Tag(1, 4), &view));
  EXPECT_FALSE(ParseRequestView(Tag(2, 2) + "\x05" + "abc", &view));
}

std::string NestedGroups(int depth) {
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open += Tag(20, 3);
    close = Tag(20, 4) + close;
  }
  return open + close;
}

TEST(RequestViewTest, GroupNestingLimitMatchesTheGeneratedParser) {
  for (int depth : {1, 98, 99, 100, 101, 102, 150}) {
    EXPECT_EQ(RequestViewDifference(NestedGroups(depth)), "") << depth;
    EXPECT_EQ(RequestViewDifference(Bytes(7, NestedGroups(depth))), "") << "inside a header, " << depth;
  }
  RequestView view;
  EXPECT_TRUE(ParseRequestView(NestedGroups(100), &view));
  EXPECT_FALSE(ParseRequestView(NestedGroups(101), &view));
}

TEST(RequestViewTest, EveryPrefixOfAValidRequestGetsTheGeneratedAnswer) {
  const std::string wire = FullRequest().SerializeAsString();
  for (size_t n = 0; n <= wire.size(); ++n) {
    ASSERT_EQ(RequestViewDifference(wire.substr(0, n)), "") << "prefix " << n;
  }
}

TEST(RequestViewTest, RandomMutationsGetTheGeneratedAnswer) {
  const std::string base = FullRequest().SerializeAsString();
  std::mt19937 random(20261201);  // fixed seed: the same cases every run
  for (int i = 0; i < 20000; ++i) {
    std::string wire = base.substr(0, random() % (base.size() + 1));
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !wire.empty(); ++e) {
      const size_t at = random() % wire.size();
      switch (random() % 3) {
        case 0:
          wire[at] = static_cast<char>(random());
          break;
        case 1:
          wire.insert(at, 1, static_cast<char>(random()));
          break;
        default:
          wire.erase(at, 1 + random() % 8);
          break;
      }
    }
    ASSERT_EQ(RequestViewDifference(wire), "") << ::testing::PrintToString(wire);
  }
}

// The view back as a message: what the server reads of a request.
v1::ValidateCertificateRequest ToMessage(const RequestView& view) {
  v1::ValidateCertificateRequest m;
  m.set_policy_id(std::string(view.policy_id));
  m.set_header_value(std::string(view.header_value));
  m.set_header_name(std::string(view.header_name));
  m.set_format(static_cast<v1::HeaderFormat>(view.format));
  m.set_path(std::string(view.path));
  if (view.is_https.has_value()) m.set_is_https(*view.is_https);
  for (const ForwardedHeaderView& h : view.headers) {
    v1::ForwardedHeader* out = m.add_headers();
    out->set_name(std::string(h.name));
    out->set_value(std::string(h.value));
    out->set_format(static_cast<v1::HeaderFormat>(h.format));
  }
  m.set_caller(std::string(view.caller));
  return m;
}

// Sets every field of `message` (recursively) to a value other than its default.
void SetEveryField(google::protobuf::Message* message, int* counter) {
  const google::protobuf::Descriptor* d = message->GetDescriptor();
  const google::protobuf::Reflection* r = message->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    const std::string text = f->name() + "-" + std::to_string(++*counter);
    using FD = google::protobuf::FieldDescriptor;
    switch (f->cpp_type()) {
      case FD::CPPTYPE_STRING:
        f->is_repeated() ? r->AddString(message, f, text) : r->SetString(message, f, text);
        break;
      case FD::CPPTYPE_BOOL:
        f->is_repeated() ? r->AddBool(message, f, true) : r->SetBool(message, f, true);
        break;
      case FD::CPPTYPE_ENUM:
        f->is_repeated() ? r->AddEnumValue(message, f, 3) : r->SetEnumValue(message, f, 3);
        break;
      case FD::CPPTYPE_MESSAGE:
        SetEveryField(f->is_repeated() ? r->AddMessage(message, f) : r->MutableMessage(message, f), counter);
        break;
      default:
        ADD_FAILURE() << f->full_name() << ": a field type the view does not read; teach ParseRequestView";
    }
  }
}

// A field added to ValidateCertificateRequest (or ForwardedHeader) that ParseRequestView does not
// read would be silently dropped by the server: this fails first.
TEST(RequestViewTest, ReadsEveryFieldTheRequestMessageHas) {
  v1::ValidateCertificateRequest request;
  int counter = 0;
  SetEveryField(&request, &counter);
  const std::string wire = request.SerializeAsString();  // the view points into it
  RequestView view;
  ASSERT_TRUE(ParseRequestView(wire, &view));
  std::string differences;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differ.Compare(request, ToMessage(view))) << differences;
}

}  // namespace
}  // namespace certguard::core
