#include "domain/text.h"

#include <gtest/gtest.h>

namespace ikv::domain {
namespace {

TEST(Text, TrimsAsciiWhitespace) {
  EXPECT_EQ(trim(" \t Vaasa \r\n"), "Vaasa");
  EXPECT_EQ(trim("   "), "");
  EXPECT_TRUE(is_blank(" \n"));
  EXPECT_FALSE(is_blank(" Å "));
}

TEST(Text, FoldsTermsWithFinnishAndSwedishLetters) {
  EXPECT_EQ(fold_term("  THAILÄNDARE "), "thailändare");
  EXPECT_EQ(fold_term("PAPPERSLÖSA"), "papperslösa");
  EXPECT_EQ(fold_term("ÅBO"), "åbo");
  EXPECT_EQ(fold_term("Ukrainian"), "ukrainian");
  EXPECT_EQ(fold_term("×"), "×");          // U+00D7 is no letter
  EXPECT_EQ(fold_term("Ωmega"), "Ωmega");  // beyond Latin-1: as written
}

TEST(Text, NormalizesEmails) {
  EXPECT_EQ(normalize_email("  Anna.Virtanen@Example.FI "), "anna.virtanen@example.fi");
}

TEST(Text, RecognisesEmailAddresses) {
  EXPECT_TRUE(looks_like_email("anna@example.fi"));
  EXPECT_TRUE(looks_like_email(" a.b+c@sub.example.fi "));
  EXPECT_FALSE(looks_like_email("anna@localhost"));
  EXPECT_FALSE(looks_like_email("anna@example.fi."));
  EXPECT_FALSE(looks_like_email("an na@example.fi"));
  EXPECT_FALSE(looks_like_email(std::string(250, 'a') + "@example.fi"));
}

TEST(Text, RecognisesNetworkIds) {
  EXPECT_TRUE(is_network_id("south-karelia"));
  EXPECT_TRUE(is_network_id("n1"));
  EXPECT_FALSE(is_network_id("South-Karelia"));
  EXPECT_FALSE(is_network_id("south-"));
  EXPECT_FALSE(is_network_id(std::string(65, 'a')));
  EXPECT_TRUE(is_network_id(std::string(64, 'a')));
}

TEST(Text, RecognisesTaxonomyCodes) {
  EXPECT_TRUE(is_taxonomy_code("forced_labour"));
  EXPECT_TRUE(is_taxonomy_code("ngo"));
  EXPECT_FALSE(is_taxonomy_code("Forced_labour"));
  EXPECT_FALSE(is_taxonomy_code("forced-labour"));
  EXPECT_FALSE(is_taxonomy_code("x"));
}

}  // namespace
}  // namespace ikv::domain
