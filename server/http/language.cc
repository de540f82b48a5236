#include "server/http/language.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include <boost/json.hpp>

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

struct Words {
  std::string_view en;
  std::string_view fi;
  std::string_view sv;
};

// Titles by status.
constexpr std::array kTitles{
    std::pair<unsigned, Words>{400, {"Bad Request", "Virheellinen pyyntö", "Felaktig begäran"}},
    std::pair<unsigned, Words>{401, {"Unauthorized", "Tunnistus puuttuu", "Ej autentiserad"}},
    std::pair<unsigned, Words>{403, {"Forbidden", "Ei sallittu", "Förbjuden"}},
    std::pair<unsigned, Words>{404, {"Not Found", "Ei löytynyt", "Hittades inte"}},
    std::pair<unsigned, Words>{
        405, {"Method Not Allowed", "Menetelmä ei sallittu", "Metoden tillåts inte"}},
    std::pair<unsigned, Words>{409, {"Conflict", "Ristiriita", "Konflikt"}},
    std::pair<unsigned, Words>{
        412,
        {"Precondition Failed", "Ennakkoehto ei täyttynyt", "Förhandsvillkoret uppfylldes inte"}},
    std::pair<unsigned, Words>{
        413, {"Payload Too Large", "Pyyntö on liian suuri", "Begäran är för stor"}},
    std::pair<unsigned, Words>{
        415, {"Unsupported Media Type", "Sisältötyyppiä ei tueta", "Medietypen stöds inte"}},
    std::pair<unsigned, Words>{
        422, {"Unprocessable Content", "Virheellisiä tietoja", "Ogiltiga uppgifter"}},
    std::pair<unsigned, Words>{429,
                               {"Too Many Requests", "Liikaa pyyntöjä", "För många förfrågningar"}},
    std::pair<unsigned, Words>{500, {"Internal Server Error", "Palvelinvirhe", "Serverfel"}},
    std::pair<unsigned, Words>{
        503,
        {"Service Unavailable", "Palvelu ei ole käytettävissä", "Tjänsten är inte tillgänglig"}},
};

// Details and field messages the code writes often, word for word.
constexpr std::array kTexts{
    Words{"the request failed validation", "pyynnön tiedot eivät kelpaa",
          "begärans uppgifter är inte giltiga"},
    Words{"a bearer token is required", "bearer-tunniste tarvitaan", "en bearer-nyckel krävs"},
    Words{"the bearer token is not valid", "bearer-tunniste ei kelpaa",
          "bearer-nyckeln är inte giltig"},
    Words{"no such resource", "resurssia ei ole", "resursen finns inte"},
    Words{"is required", "pakollinen", "obligatoriskt"},
    Words{"unknown field", "tuntematon kenttä", "okänt fält"},
    Words{"must be a string", "on oltava merkkijono", "måste vara en sträng"},
    Words{"must be an integer", "on oltava kokonaisluku", "måste vara ett heltal"},
    Words{"must be a boolean", "on oltava totuusarvo", "måste vara ett sanningsvärde"},
    Words{"must be an object", "on oltava objekti", "måste vara ett objekt"},
    Words{"must be an array of strings", "on oltava merkkijonojen taulukko",
          "måste vara en lista av strängar"},
    Words{"must not be empty", "ei saa olla tyhjä", "får inte vara tomt"},
    Words{"must not be null (leave the field out instead)", "ei saa olla null (jätä kenttä pois)",
          "får inte vara null (utelämna fältet)"},
    Words{"must be a real date written YYYY-MM-DD",
          "on oltava todellinen päivämäärä muodossa VVVV-KK-PP",
          "måste vara ett verkligt datum i formen ÅÅÅÅ-MM-DD"},
    Words{"email must be an e-mail address", "sähköpostiosoite ei kelpaa",
          "e-postadressen är inte giltig"},
    Words{"a current member of this network has this e-mail",
          "verkoston nykyisellä jäsenellä on jo tämä sähköpostiosoite",
          "en nuvarande medlem i nätverket har redan den här e-postadressen"},
    Words{"the network does not exist", "verkostoa ei ole", "nätverket finns inte"},
};

std::string_view pick(const Words& w, std::string_view lang) {
  if (lang == "fi") return w.fi;
  if (lang == "sv") return w.sv;
  return w.en;
}

// The translation of `text`, or `text` itself: whole texts only, so that
// nothing is half translated.
std::string translate(std::string_view text, std::string_view lang) {
  for (const auto& w : kTexts) {
    if (w.en == text) return std::string(pick(w, lang));
  }
  return std::string(text);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view answer_language(std::string_view accept_language) {
  std::string_view header = accept_language;
  std::string_view best = "en";
  double best_q = -1;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    double q = 1.0;
    if (const auto semi = item.find(';'); semi != std::string_view::npos) {
      std::string_view param = trim(item.substr(semi + 1));
      item = trim(item.substr(0, semi));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        try {
          q = std::stod(std::string(param.substr(2)));
        } catch (const std::exception&) {
          q = 0;
        }
      }
    }
    const std::string tag = lower(item.substr(0, item.find('-')));
    std::string_view lang;
    if (tag == "fi") lang = "fi";
    if (tag == "sv") lang = "sv";
    if (tag == "en") lang = "en";
    if (!lang.empty() && q > 0 && q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best;
}

void localize_problem(Response& res, std::string_view lang) {
  if (lang != "fi" && lang != "sv") return;
  const auto type = res.find(http::field::content_type);
  if (type == res.end() || type->value() != "application/problem+json") return;
  boost::system::error_code ec;
  json::value v = json::parse(res.body(), ec);
  if (ec || !v.is_object()) return;
  json::object& p = v.as_object();
  const unsigned status = res.result_int();
  for (const auto& [code, words] : kTitles) {
    if (code == status) p["title"] = pick(words, lang);
  }
  if (auto* detail = p.if_contains("detail"); detail != nullptr && detail->is_string()) {
    *detail = translate(detail->as_string(), lang);
  }
  if (auto* errors = p.if_contains("errors"); errors != nullptr && errors->is_array()) {
    for (auto& e : errors->as_array()) {
      if (!e.is_object()) continue;
      auto* message = e.as_object().if_contains("message");
      if (message != nullptr && message->is_string()) {
        *message = translate(message->as_string(), lang);
      }
    }
  }
  res.body() = json::serialize(v);
  res.set(http::field::content_language, lang);
  res.prepare_payload();
}

}  // namespace ikv::server
