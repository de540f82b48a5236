#include "server/http/language.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

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
    Words{"must be a real date written YYYY-MM-DD or YYYY-MM",
          "on oltava todellinen päivämäärä muodossa VVVV-KK-PP tai VVVV-KK",
          "måste vara ett verkligt datum i formen ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM"},
    Words{"email must be an e-mail address", "sähköpostiosoite ei kelpaa",
          "e-postadressen är inte giltig"},
    Words{"a current member of this network has this e-mail",
          "verkoston nykyisellä jäsenellä on jo tämä sähköpostiosoite",
          "en nuvarande medlem i nätverket har redan den här e-postadressen"},
    Words{"the network does not exist", "verkostoa ei ole", "nätverket finns inte"},
    // With values: each {} stands for the same text in every language.
    Words{"{} must not be empty", "{} ei saa olla tyhjä", "{} får inte vara tomt"},
    Words{"{} must be a real date (YYYY-MM-DD or YYYY-MM)",
          "{} on oltava todellinen päivämäärä (VVVV-KK-PP tai VVVV-KK)",
          "{} måste vara ett verkligt datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM)"},
    Words{"'{}' is not a sector code", "'{}' ei ole sektorin koodi", "'{}' är ingen sektorkod"},
    Words{"'{}' is not a theme code", "'{}' ei ole teeman koodi", "'{}' är ingen temakod"},
    Words{"'{}' is not a meeting_format code", "'{}' ei ole kokousmuodon koodi",
          "'{}' är ingen kod för mötesform"},
    Words{"'{}' is not a training_topic code", "'{}' ei ole koulutusaiheen koodi",
          "'{}' är ingen kod för utbildningsämne"},
    Words{"must be at least {} characters", "vähintään {} merkkiä", "minst {} tecken"},
    Words{"must be at most {} characters", "enintään {} merkkiä", "högst {} tecken"},
    Words{"must be at least {}", "on oltava vähintään {}", "måste vara minst {}"},
    Words{"must be at most {}", "on oltava enintään {}", "får vara högst {}"},
    Words{"must have at least {} items", "vähintään {} kohtaa", "minst {} poster"},
    Words{"must have at most {} items", "enintään {} kohtaa", "högst {} poster"},
    Words{"no network '{}'", "verkostoa '{}' ei ole", "nätverket '{}' finns inte"},
    Words{"'{}' is listed twice", "'{}' on mainittu kahdesti", "'{}' finns två gånger"},
    Words{"the organiser cannot also be a joint network",
          "järjestäjä ei voi olla myös yhteiskokouksen verkosto",
          "arrangören kan inte också vara ett gemensamt nätverk"},
    Words{"'{}' is not a current member of the meeting's networks",
          "'{}' ei ole kokouksen verkostojen nykyinen jäsen",
          "'{}' är inte en nuvarande medlem i mötets nätverk"},
    Words{"give attendees, attendee_count or both",
          "anna osallistujat, osallistujamäärä tai molemmat",
          "ange deltagare, antal deltagare eller båda"},
    Words{"attendee_count is less than the number of attendees",
          "osallistujamäärä on pienempi kuin osallistujien lukumäärä",
          "antalet deltagare är mindre än de angivna deltagarna"},
    Words{"no meeting '{}' involving this network", "kokousta '{}' ei ole tällä verkostolla",
          "mötet '{}' hör inte till det här nätverket"},
    Words{"no meeting {}", "kokousta {} ei ole", "mötet {} finns inte"},
    Words{"the meeting does not exist", "kokousta ei ole", "mötet finns inte"},
    Words{"the meeting has been cancelled", "kokous on peruttu", "mötet har ställts in"},
    Words{"the meeting has been recorded as held", "kokous on jo kirjattu pidetyksi",
          "mötet har redan registrerats som hållet"},
    Words{"the meeting has not been recorded as held", "kokousta ei ole kirjattu pidetyksi",
          "mötet har inte registrerats som hållet"},
    Words{"no member '{}' in this network", "verkostossa ei ole jäsentä '{}'",
          "nätverket har ingen medlem '{}'"},
    Words{"member '{}' has left", "jäsen '{}' on eronnut", "medlemmen '{}' har lämnat"},
    Words{"the member's personal data has been erased", "jäsenen henkilötiedot on poistettu",
          "medlemmens personuppgifter har raderats"},
    Words{"left_on is before joined_on ({})", "eroamispäivä on ennen liittymispäivää ({})",
          "utträdesdagen är före inträdesdagen ({})"},
    Words{"this token may not change network '{}'",
          "tällä tunnisteella ei voi muuttaa verkostoa '{}'",
          "den här nyckeln får inte ändra nätverket '{}'"},
    Words{"this token may not change meetings of these networks",
          "tällä tunnisteella ei voi muuttaa näiden verkostojen kokouksia",
          "den här nyckeln får inte ändra de här nätverkens möten"},
    Words{"the network is at version {}", "verkosto on versiossa {}", "nätverket har version {}"},
    Words{"a request with this Idempotency-Key is still running",
          "pyyntö tällä Idempotency-Key-arvolla on yhä kesken",
          "en begäran med denna Idempotency-Key pågår fortfarande"},
};

std::string_view pick(const Words& w, std::string_view lang) {
  if (lang == "fi") return w.fi;
  if (lang == "sv") return w.sv;
  return w.en;
}

// The values `text` gives the holes ({}) of `pattern`, when it matches the
// whole text; each hole takes at least one character and the shortest text
// that lets the rest match.
std::optional<std::vector<std::string_view>> match(std::string_view pattern,
                                                   std::string_view text) {
  std::vector<std::string_view> holes;
  for (;;) {
    const auto hole = pattern.find("{}");
    if (hole == std::string_view::npos) {
      if (pattern != text) return std::nullopt;
      return holes;
    }
    if (text.substr(0, hole) != pattern.substr(0, hole)) return std::nullopt;
    text.remove_prefix(hole);
    pattern.remove_prefix(hole + 2);
    const auto next = pattern.find("{}");
    const std::string_view literal = pattern.substr(0, next);
    std::size_t end = 0;
    if (next == std::string_view::npos) {
      // The last hole: the literal must end the text.
      if (text.size() <= literal.size() || !text.ends_with(literal)) return std::nullopt;
      end = text.size() - literal.size();
    } else {
      end = literal.empty() ? 1 : text.find(literal, 1);
      if (end == std::string_view::npos) return std::nullopt;
    }
    holes.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
}

// The translation of `text`, or `text` itself: whole texts only, so that
// nothing is half translated; a pattern's values are carried over unchanged.
std::string translate(std::string_view text, std::string_view lang) {
  for (const auto& w : kTexts) {
    const auto holes = match(w.en, text);
    if (!holes) continue;
    std::string out;
    std::string_view target = pick(w, lang);
    for (const auto& value : *holes) {
      const auto at = target.find("{}");
      out.append(target.substr(0, at)).append(value);
      target.remove_prefix(at + 2);
    }
    return out.append(target);
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
