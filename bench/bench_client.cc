#include "bench_client.h"

#include <arpa/inet.h>
#include <cJSON.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

namespace telemed {
namespace bench {

BenchClient::BenchClient(const Endpoint& endpoint)
    : client_("127.0.0.1", endpoint.port) {
  client_.set_keep_alive(true);
  client_.set_tcp_nodelay(true);
  client_.set_connection_timeout(2, 0);
  client_.set_read_timeout(10, 0);
  client_.set_write_timeout(10, 0);
  if (!endpoint.api_key.empty()) {
    headers_.emplace("Authorization", "Bearer " + endpoint.api_key);
  }
}

int BenchClient::PutAppointment(const std::string& id,
                                const std::string& doctor_id, uint64_t serial) {
  // About the size of a real clinic's PUT: every field, a short topic.
  std::string body = "{\"doctor_id\":\"" + doctor_id +
                     "\",\"start_time\":\"2030-06-01T10:00:00+02:00\","
                     "\"duration_minutes\":30,\"timezone\":\"Europe/Berlin\","
                     "\"topic\":\"Follow-up visit " +
                     std::to_string(serial) + "\",\"cancelled\":false}";
  httplib::Result res = client_.Put("/api/v1/appointments/" + id, headers_,
                                    body, "application/json");
  return res ? res->status : -1;
}

int BenchClient::Get(const std::string& path, std::string* body) {
  httplib::Result res = client_.Get(path, headers_);
  if (res && body != nullptr) *body = res->body;
  return res ? res->status : -1;
}

bool BenchClient::WaitForQuietFeed(int max_seconds) {
  std::string cursor = "0";
  for (int polls = 0; polls < max_seconds * 10; ++polls) {
    std::string body;
    int wait = cursor == "0" ? 0 : 1;
    if (Get("/api/v1/appointments?limit=500&wait=" + std::to_string(wait) +
                "&since=" + cursor,
            &body) != 200) {
      return false;
    }
    std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(body.c_str()),
                                                  cJSON_Delete);
    const cJSON* items = cJSON_GetObjectItemCaseSensitive(root.get(), "items");
    const cJSON* next =
        cJSON_GetObjectItemCaseSensitive(root.get(), "next_cursor");
    if (!cJSON_IsArray(items) || !cJSON_IsString(next)) return false;
    if (wait == 1 && cJSON_GetArraySize(items) == 0) return true;
    cursor = next->valuestring;
  }
  return false;
}

std::string AppointmentId(uint64_t index) {
  return "bench-" + std::to_string(index);
}

int FindFreePort() {
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  if (sock < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(sock);
  return port;
}

}  // namespace bench
}  // namespace telemed
