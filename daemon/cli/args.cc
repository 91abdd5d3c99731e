#include "cli/args.h"

#include <algorithm>

namespace telemed {
namespace cli {

namespace {

Status Usage(const std::string& message) {
  return Status::InvalidArgument("usage", message);
}

bool IsHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

bool AsksForHelp(const std::vector<std::string>& args) {
  auto end = std::find(args.begin(), args.end(), "--");
  return std::any_of(args.begin(), end, IsHelp);
}

bool Accepts(const ArgSpec& spec, const std::string& name) {
  return std::find(spec.value_flags.begin(), spec.value_flags.end(), name) !=
         spec.value_flags.end();
}

bool IsSwitch(const ArgSpec& spec, const std::string& name) {
  return std::find(spec.switches.begin(), spec.switches.end(), name) !=
         spec.switches.end();
}

// Consumes the option at args[*i] (and its value, if separate).
Status ParseFlag(const std::vector<std::string>& args, const ArgSpec& spec,
                 size_t* i, ParsedArgs* out) {
  std::string name = args[*i].substr(2);
  std::string value;
  size_t equals = name.find('=');
  bool inline_value = equals != std::string::npos;
  if (inline_value) {
    value = name.substr(equals + 1);
    name.resize(equals);
  }
  if (IsSwitch(spec, name)) {
    if (inline_value) return Usage("--" + name + " takes no value");
  } else if (!Accepts(spec, name)) {
    return Usage("unknown option --" + name);
  } else if (!inline_value) {
    if (*i + 1 >= args.size()) return Usage("--" + name + " needs a value");
    value = args[++*i];
  }
  if (!out->flags.emplace(name, value).second) {
    return Usage("--" + name + " given twice");
  }
  return Status::OK();
}

Status CheckPositionals(const ArgSpec& spec, const ParsedArgs& parsed) {
  size_t want = spec.positionals.size();
  size_t got = parsed.positionals.size();
  if (got + spec.optional_positionals < want) {
    return Usage("missing " + spec.positionals[got]);
  }
  if (got > want)
    return Usage("unexpected argument '" + parsed.positionals[want] + "'");
  return Status::OK();
}

}  // namespace

const std::string* ParsedArgs::Flag(const std::string& name) const {
  auto it = flags.find(name);
  return it == flags.end() ? nullptr : &it->second;
}

Status ParseArgs(const std::vector<std::string>& args, const ArgSpec& spec,
                 ParsedArgs* out) {
  *out = ParsedArgs();
  if (AsksForHelp(args)) {
    out->help = true;
    return Status::OK();
  }
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      if (arg.compare(0, 2, "--") != 0) return Usage("unknown option " + arg);
      Status s = ParseFlag(args, spec, &i, out);
      if (!s.ok()) return s;
    } else {
      out->positionals.push_back(arg);
    }
  }
  return CheckPositionals(spec, *out);
}

}  // namespace cli
}  // namespace telemed
