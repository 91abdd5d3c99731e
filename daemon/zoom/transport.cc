#include "zoom/transport.h"

namespace telemed {

std::string HttpResponse::Header(const std::string& lower_case_name) const {
  for (const auto& header : headers) {
    if (header.first == lower_case_name) return header.second;
  }
  return "";
}

}  // namespace telemed
