// The built-in taxonomy: the sectors, themes, meeting formats, training
// topics and target groups of the field, with Finnish, Swedish and English
// labels (shared/domain-facts.md and the 2024 bulletin).
//
// Theme families: only `labour_exploitation` belongs to `forced_labour` (the
// bulletin counts Ostrobothnia's work-related exploitation among the regions
// that stressed forced labour). Seasonal work and undocumented persons stay
// their own families: the bulletin names them as risks and circumstances, not
// as forms of forced labour, and a network that only flagged seasonal risks
// must not count as one that raised forced labour.
//
// Target groups: the groups the bulletin names, Thai and Ukrainian nationals
// (South Karelia, Ostrobothnia) and undocumented people (Turku), each with its
// labels and the singular or plural forms people write as aliases. Children
// and young people are themes (child_exploitation, youth_exploitation).
#include "domain/taxonomy.h"

#include <initializer_list>
#include <string_view>

namespace ikv::domain {

namespace {

struct BuiltinEntry {
  TaxonomyKind kind;
  const char* code;
  const char* fi;
  const char* sv;
  const char* en;
};

constexpr TaxonomyKind kS = TaxonomyKind::kSector;
constexpr TaxonomyKind kT = TaxonomyKind::kTheme;
constexpr TaxonomyKind kF = TaxonomyKind::kMeetingFormat;
constexpr TaxonomyKind kP = TaxonomyKind::kTrainingTopic;

struct BuiltinFamily {
  const char* theme;
  const char* family;
};

constexpr BuiltinFamily kBuiltinFamilies[] = {
    {"labour_exploitation", "forced_labour"},
};

struct BuiltinTargetGroup {
  const char* code = nullptr;
  const char* fi = nullptr;
  const char* sv = nullptr;
  const char* en = nullptr;
  std::initializer_list<const char*> aliases;
};

const BuiltinTargetGroup kBuiltinTargetGroups[] = {
    {"thai", "thaimaalaiset", "thailändare", "Thai", {"thaimaalainen", "thailändsk", "Thais"}},
    {"ukrainian",
     "ukrainalaiset",
     "ukrainare",
     "Ukrainian",
     {"ukrainalainen", "ukrainsk", "Ukrainians"}},
    {"undocumented",
     "paperittomat",
     "papperslösa",
     "Undocumented people",
     {"paperiton", "papperslös", "undocumented persons"}},
};

constexpr BuiltinEntry kBuiltinEntries[] = {
    {kS, "integration_services", "Kotoutumispalvelut", "Integrationstjänster",
     "Integration services"},
    {kS, "reception_centre", "Vastaanottokeskus", "Förläggning", "Reception centre"},
    {kS, "police", "Poliisi", "Polisen", "Police"},
    {kS, "border_guard", "Rajavartiolaitos", "Gränsbevakningsväsendet", "Finnish Border Guard"},
    {kS, "kela", "Kela (Kansaneläkelaitos)", "FPA (Folkpensionsanstalten)",
     "Kela (Social Insurance Institution)"},
    {kS, "wellbeing_services_county", "Hyvinvointialue", "Välfärdsområde",
     "Wellbeing services county"},
    {kS, "victim_support", "Rikosuhripäivystys (RIKU)", "Brottsofferjouren (RIKU)",
     "Victim Support Finland"},
    {kS, "ngo", "Järjestöt (mm. Pro-tukipiste)", "Organisationer (bl.a. Pro-tukipiste)",
     "NGOs (incl. Pro-tukipiste)"},
    {kS, "legal_aid", "Asianajajat ja julkinen oikeusapu", "Advokater och allmän rättshjälp",
     "Lawyers and public legal aid"},
    {kS, "trade_union", "Ammattiliitot", "Fackförbund", "Trade unions"},
    {kS, "employment_services", "TE-palvelut", "TE-tjänster", "Employment services (TE offices)"},
    {kS, "youth_work", "Nuorisotyö", "Ungdomsarbete", "Youth work"},
    {kS, "parish", "Seurakunnat", "Församlingar", "Parishes"},
    {kS, "labour_inspection", "Työsuojeluviranomainen", "Arbetarskyddsmyndigheten",
     "Labour inspection"},
    {kS, "other", "Muu", "Annan", "Other"},

    {kT, "forced_labour", "Pakkotyö", "Tvångsarbete", "Forced labour"},
    {kT, "labour_exploitation", "Työperäinen hyväksikäyttö", "Arbetskraftsexploatering",
     "Labour exploitation"},
    {kT, "forced_marriage", "Pakkoavioliitto", "Tvångsäktenskap", "Forced marriage"},
    {kT, "child_exploitation", "Lasten hyväksikäyttö", "Utnyttjande av barn",
     "Exploitation of children"},
    {kT, "youth_exploitation", "Nuorten hyväksikäyttö", "Utnyttjande av unga",
     "Exploitation of young people"},
    {kT, "sexual_exploitation", "Seksuaalinen hyväksikäyttö", "Sexuellt utnyttjande",
     "Sexual exploitation"},
    {kT, "seasonal_work", "Kausityö", "Säsongsarbete", "Seasonal work"},
    {kT, "wellbeing_county_transition", "Siirtyminen hyvinvointialueille",
     "Övergången till välfärdsområdena", "Transition to the wellbeing services counties"},
    {kT, "lack_of_operating_models", "Yhteisten toimintamallien puute",
     "Brist på gemensamma verksamhetsmodeller", "Lack of common operating models"},
    {kT, "lack_of_training", "Koulutuksen puute", "Brist på utbildning", "Lack of training"},
    {kT, "reluctance_to_report", "Haluttomuus puhua viranomaisille",
     "Ovilja att tala med myndigheter", "Reluctance to talk to authorities"},
    {kT, "undocumented_persons", "Paperittomat", "Papperslösa", "Undocumented persons"},
    {kT, "other", "Muu", "Annat", "Other"},

    {kF, "in_person", "Lähitapaaminen", "Fysiskt möte", "In person"},
    {kF, "remote", "Etätapaaminen", "Distansmöte", "Remote"},
    {kF, "hybrid", "Hybriditapaaminen", "Hybridmöte", "Hybrid"},

    {kP, "trafficking_phenomenon", "Ihmiskauppa ilmiönä", "Människohandel som fenomen",
     "Human trafficking as a phenomenon"},
    {kP, "victim_identification", "Uhrien tunnistaminen", "Identifiering av offer",
     "Identifying victims"},
};

}  // namespace

TaxonomyState initial_taxonomy_state() {
  TaxonomyState state;
  for (const BuiltinEntry& e : kBuiltinEntries) {
    std::optional<std::string> family;
    for (const BuiltinFamily& f : kBuiltinFamilies) {
      if (e.kind == kT && std::string_view(f.theme) == e.code) family = f.family;
    }
    state.put(e.kind, e.code, LocalizedText{e.fi, e.sv, e.en}, std::move(family));
  }
  for (const BuiltinTargetGroup& g : kBuiltinTargetGroups) {
    state.put(TaxonomyKind::kTargetGroup, g.code, LocalizedText{g.fi, g.sv, g.en}, std::nullopt,
              std::vector<std::string>(g.aliases.begin(), g.aliases.end()));
  }
  return state;
}

}  // namespace ikv::domain
