#include "server/core/response_utf8.h"

#include <string>
#include <vector>

#include "server/common/utf8.h"

namespace certguard::core {

void ReplaceInvalidUtf8(google::protobuf::Message* message) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);  // only fields that are set
  std::string scratch;
  for (const FieldDescriptor* field : fields) {
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          const std::string& value = reflection->GetRepeatedStringReference(*message, field, i, &scratch);
          if (!common::IsValidUtf8(value)) {
            reflection->SetRepeatedString(message, field, i, common::ToValidUtf8(value));
          }
        }
      } else {
        const std::string& value = reflection->GetStringReference(*message, field, &scratch);
        if (!common::IsValidUtf8(value)) reflection->SetString(message, field, common::ToValidUtf8(value));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          ReplaceInvalidUtf8(reflection->MutableRepeatedMessage(message, field, i));
        }
      } else {
        ReplaceInvalidUtf8(reflection->MutableMessage(message, field));
      }
    }
  }
}

}  // namespace certguard::core
