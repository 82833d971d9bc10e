// Names of a generated protobuf enum's values from a table built once per enum: the generated
// Foo_Name() searches the enum's descriptor on every call, which the request path (metrics
// labels, ext_authz headers) cannot afford.
#ifndef CERTGUARD_SERVER_CORE_ENUM_NAMES_H_
#define CERTGUARD_SERVER_CORE_ENUM_NAMES_H_

#include <algorithm>
#include <string>
#include <vector>

#include "google/protobuf/generated_enum_reflection.h"

namespace certguard::core {

// The same string as E_Name(value): the value's name, or "" for a number the enum does not name.
template <typename E>
const std::string& EnumName(E value) {
  static const std::vector<std::string>* const names = [] {
    const google::protobuf::EnumDescriptor* d = google::protobuf::GetEnumDescriptor<E>();
    int max = 0;
    for (int i = 0; i < d->value_count(); ++i) max = std::max(max, d->value(i)->number());
    auto* table = new std::vector<std::string>(static_cast<size_t>(max) + 1);
    // The first name given to a number wins, as in the descriptor's own lookup.
    for (int i = d->value_count() - 1; i >= 0; --i) {
      if (d->value(i)->number() >= 0) (*table)[static_cast<size_t>(d->value(i)->number())] = d->value(i)->name();
    }
    return table;
  }();
  static const std::string* const empty = new std::string();
  const int n = static_cast<int>(value);
  return n >= 0 && static_cast<size_t>(n) < names->size() ? (*names)[static_cast<size_t>(n)] : *empty;
}

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_ENUM_NAMES_H_
