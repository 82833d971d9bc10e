#include "server/core/request_view.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "google/protobuf/stubs/common.h"

namespace certguard::core {
namespace {

// The generated parser's limit on nested messages and groups
// (io::CodedInputStream::GetDefaultRecursionLimit()).
constexpr int kRecursionLimit = 100;

enum WireType : uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5
};

// proto3 string fields must be UTF-8. Header values are ASCII in every format certguard reads, so
// an ASCII scan (64 bytes a step with SSE2, else 8) settles almost every field; the first non-ASCII byte hands the rest
// (from a character boundary) to protobuf's own validator, so the verdict is always protobuf's.
bool IsUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
#if defined(__SSE2__)
  // 64 bytes per step: the high bits of four 16-byte loads OR-ed together.
  for (; i + 64 <= n; i += 64) {
    const auto* q = reinterpret_cast<const __m128i*>(p + i);
    const __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
                                     _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));
    if (_mm_movemask_epi8(any) != 0) break;
  }
#endif
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, sizeof(word));
    if ((word & kHighBits) != 0) break;
  }
  for (; i < n; ++i) {
    if ((p[i] & 0x80) != 0) break;
  }
  if (i == n) return true;
  return google::protobuf::internal::IsStructurallyValidUTF8(s.data() + i, static_cast<int>(n - i));
}

// Reads protobuf wire format with the generated parser's rules (google/protobuf/parse_context):
// tags of at most 5 bytes, lengths of at most 5 bytes below 2 GiB, varints of at most 10 bytes.
class WireReader {
 public:
  explicit WireReader(absl::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool AtEnd() const { return p_ == end_; }

  // The next tag (truncated to 32 bits, as protobuf does); false when malformed or truncated.
  bool ReadTag(uint32_t* tag) { return ReadVarintOf<uint32_t, 5>(tag); }
  bool ReadVarint(uint64_t* out) { return ReadVarintOf<uint64_t, 10>(out); }

  // A length-delimited payload, as a view.
  bool ReadBytes(absl::string_view* out) {
    uint32_t size = 0;
    for (int i = 0;; ++i) {
      if (p_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*p_++);
      if (i == 4) {
        if (byte >= 8) return false;  // 2 GiB or more
        size |= static_cast<uint32_t>(byte) << 28;
        break;
      }
      size |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
      if (byte < 0x80) break;
    }
    if (size > static_cast<size_t>(end_ - p_)) return false;
    *out = absl::string_view(p_, size);
    p_ += size;
    return true;
  }

  bool Skip(size_t n) {
    if (n > static_cast<size_t>(end_ - p_)) return false;
    p_ += n;
    return true;
  }

  // Skips one unknown field whose tag was just read. `depth` counts down nesting (groups).
  bool SkipField(uint32_t tag, int depth) {
    if ((tag >> 3) == 0) return false;
    switch (tag & 7) {
      case kVarint: {
        uint64_t ignored;
        return ReadVarint(&ignored);
      }
      case kFixed64:
        return Skip(8);
      case kLengthDelimited: {
        absl::string_view ignored;
        return ReadBytes(&ignored);
      }
      case kStartGroup:
        return SkipGroup(tag >> 3, depth - 1);
      case kFixed32:
        return Skip(4);
      default:  // end-group is handled by the caller; 6 and 7 do not exist
        return false;
    }
  }

 private:
  // A varint of at most `kMaxBytes` bytes, its bits beyond T's width dropped.
  template <typename T, int kMaxBytes>
  bool ReadVarintOf(T* out) {
    T value = 0;
    for (int i = 0; i < kMaxBytes; ++i) {
      if (p_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*p_++);
      value |= static_cast<T>(byte & 0x7f) << (7 * i);
      if (byte < 0x80) {
        *out = value;
        return true;
      }
    }
    return false;
  }

  // Fields up to the end-group tag of `number`.
  bool SkipGroup(uint32_t number, int depth) {
    if (depth < 0) return false;
    while (true) {
      uint32_t tag;
      if (!ReadTag(&tag)) return false;
      if (tag == 0) return false;
      if ((tag & 7) == kEndGroup) return (tag >> 3) == number;
      if (!SkipField(tag, depth)) return false;
    }
  }

  const char* p_;
  const char* end_;
};

bool ReadString(WireReader* in, absl::string_view* out) { return in->ReadBytes(out) && IsUtf8(*out); }

// An open proto3 enum: the varint's low 32 bits, as the generated code keeps them.
bool ReadEnum(WireReader* in, int32_t* out) {
  uint64_t v;
  if (!in->ReadVarint(&v)) return false;
  *out = static_cast<int32_t>(static_cast<uint32_t>(v));
  return true;
}

// The fields of one message, until the end of `in`. `field` handles a known field number with
// its expected wire type and returns false on a malformed value; anything else is skipped.
template <typename FieldFn>
bool ReadMessage(WireReader* in, int depth, FieldFn field) {
  while (!in->AtEnd()) {
    uint32_t tag;
    if (!in->ReadTag(&tag)) return false;
    // Tag 0 or an end-group tag ends a message early, which the generated parser refuses.
    if (tag == 0 || (tag & 7) == kEndGroup) return false;
    bool known = false;
    if (!field(tag, &known)) return false;
    if (!known && !in->SkipField(tag, depth)) return false;
  }
  return true;
}

constexpr uint32_t Tag(uint32_t number, WireType type) { return (number << 3) | type; }

bool ReadForwardedHeader(absl::string_view bytes, int depth, ForwardedHeaderView* out) {
  if (depth < 0) return false;
  WireReader in(bytes);
  return ReadMessage(&in, depth, [&](uint32_t tag, bool* known) {
    *known = true;
    switch (tag) {
      case Tag(1, kLengthDelimited):
        return ReadString(&in, &out->name);
      case Tag(2, kLengthDelimited):
        return ReadString(&in, &out->value);
      case Tag(3, kVarint):
        return ReadEnum(&in, &out->format);
      default:
        *known = false;
        return true;
    }
  });
}

}  // namespace

bool ParseRequestView(absl::string_view wire, RequestView* out) {
  *out = RequestView();
  WireReader in(wire);
  const int depth = kRecursionLimit;
  return ReadMessage(&in, depth, [&](uint32_t tag, bool* known) {
    *known = true;
    uint64_t v;
    absl::string_view bytes;
    switch (tag) {
      case Tag(1, kLengthDelimited):
        return ReadString(&in, &out->policy_id);
      case Tag(2, kLengthDelimited):
        return ReadString(&in, &out->header_value);
      case Tag(3, kLengthDelimited):
        return ReadString(&in, &out->header_name);
      case Tag(4, kVarint):
        return ReadEnum(&in, &out->format);
      case Tag(5, kLengthDelimited):
        return ReadString(&in, &out->path);
      case Tag(6, kVarint):
        if (!in.ReadVarint(&v)) return false;
        out->is_https = v != 0;
        return true;
      case Tag(7, kLengthDelimited):
        if (!in.ReadBytes(&bytes)) return false;
        out->headers.emplace_back();
        return ReadForwardedHeader(bytes, depth - 1, &out->headers.back());
      case Tag(8, kLengthDelimited):
        return ReadString(&in, &out->caller);
      default:
        *known = false;
        return true;
    }
  });
}

}  // namespace certguard::core
