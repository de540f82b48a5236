// The built-in taxonomy: the sectors, themes, meeting formats and training
// topics of the field, with Finnish, Swedish and English labels.
#include "domain/taxonomy.h"

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
    state.put(e.kind, e.code, LocalizedText{e.fi, e.sv, e.en});
  }
  return state;
}

}  // namespace ikv::domain
