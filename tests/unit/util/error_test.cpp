// weft's error model: one distinct message per Errc, Error's message / context / equality,
// and std::error_code interop.

#include <weft/error.hpp>

#include <doctest/doctest.h>

#include <ostream>  // doctest prints std::error_code with it
#include <set>
#include <string>
#include <system_error>

using namespace weft;

namespace {

// The last enumerator of Errc: move this when one is added after it.
constexpr Errc kLastErrc = Errc::gossip_slow_peer;

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Error(Errc::hex_invalid_char, std::string("'") + c + "'");
  return c - '0';
}

Result<int> parse_two_digits(char a, char b) {
  BOOST_OUTCOME_TRY(hi, parse_digit(a));
  BOOST_OUTCOME_TRY(lo, parse_digit(b));
  return hi * 10 + lo;
}

Result<void> check_positive(int v) {
  if (v <= 0) return Error(Errc::varint_overflow);
  return success();
}

}  // namespace

TEST_CASE("error: every Errc has a distinct, non-empty message") {
  const auto& category = weft_category();
  CHECK(std::string(category.name()) == "weft");
  std::set<std::string> seen;
  const int last = static_cast<int>(kLastErrc);
  CHECK(last >= 30);  // a sanity floor: the enum has at least this many values
  for (int value = 1; value <= last; ++value) {
    CAPTURE(value);
    const std::string message = category.message(value);
    CHECK_FALSE(message.empty());
    CHECK(message.find("unknown weft error") == std::string::npos);
    CHECK(seen.insert(message).second);  // distinct
    CHECK(make_error_code(static_cast<Errc>(value)).message() == message);
  }
  CHECK(seen.size() == static_cast<std::size_t>(last));
  // Values outside the enumeration still get a message, naming the value.
  CHECK(category.message(0).find("0") != std::string::npos);
  CHECK(category.message(last + 1).find(std::to_string(last + 1)) != std::string::npos);
  CHECK(seen.count(category.message(last + 1)) == 0);
}

TEST_CASE("error: the first enumerators have fixed values") {
  CHECK(static_cast<int>(Errc::varint_truncated) == 1);
  CHECK(static_cast<int>(Errc::varint_overlong) == 2);
  CHECK(static_cast<int>(Errc::varint_overflow) == 3);
}

TEST_CASE("error: Error::message with and without detail") {
  const Error plain(Errc::varint_overlong);
  CHECK(plain.detail().empty());
  CHECK(plain.message() == make_error_code(Errc::varint_overlong).message());
  CHECK(plain.message() == "varint not minimally encoded");

  const Error detailed(Errc::hex_invalid_char, "at offset 3");
  CHECK(detailed.detail() == "at offset 3");
  CHECK(detailed.message() == "invalid hex character: at offset 3");

  const Error from_system(std::make_error_code(std::errc::no_such_file_or_directory), "/tmp/key");
  CHECK(from_system.message() == std::make_error_code(std::errc::no_such_file_or_directory).message() + ": /tmp/key");

  const Error none;
  CHECK_FALSE(static_cast<bool>(none.code()));
  CHECK(none.detail().empty());
}

TEST_CASE("error: with_context prepends to the detail and keeps the code") {
  const Error plain(Errc::varint_overflow);
  const Error a = plain.with_context("multihash code");
  CHECK(a == Errc::varint_overflow);
  CHECK(a.detail() == "multihash code");
  CHECK(a.message() == "varint overflows 63 bits / 9 bytes: multihash code");

  const Error detailed(Errc::varint_overlong, "trailing zero group at byte 2");
  const Error b = detailed.with_context("multihash code").with_context("peer id");
  CHECK(b == Errc::varint_overlong);
  CHECK(b.detail() == "peer id: multihash code: trailing zero group at byte 2");
  // The original is unchanged.
  CHECK(detailed.detail() == "trailing zero group at byte 2");

  // An empty context adds nothing (no stray ": ").
  const Error c = plain.with_context("");
  CHECK(c == Errc::varint_overflow);
  CHECK(c.detail().empty());
  const Error d = detailed.with_context("");
  CHECK(d == detailed);
  CHECK(d.message() == "varint not minimally encoded: trailing zero group at byte 2");
}

TEST_CASE("error: equality with Errc and with Error") {
  const Error e(Errc::multihash_truncated, "in the hash code");
  CHECK(e == Errc::multihash_truncated);  // detail does not matter against an Errc
  CHECK_FALSE(e == Errc::multihash_trailing_bytes);
  CHECK(Error(Errc::multihash_truncated) == Errc::multihash_truncated);

  CHECK(e == Error(Errc::multihash_truncated, "in the hash code"));
  CHECK_FALSE(e == Error(Errc::multihash_truncated, "elsewhere"));
  CHECK_FALSE(e == Error(Errc::multihash_truncated));
  CHECK_FALSE(e == Error(Errc::multiaddr_truncated, "in the hash code"));

  // The same number in another category is a different error.
  const Error foreign(std::error_code(static_cast<int>(Errc::varint_truncated), std::generic_category()));
  CHECK_FALSE(foreign == Errc::varint_truncated);
}

TEST_CASE("error: std::error_code interop") {
  std::error_code ec = Errc::varint_overflow;
  CHECK(ec.category() == weft_category());
  CHECK(ec.value() == static_cast<int>(Errc::varint_overflow));
  CHECK(ec == Errc::varint_overflow);
  CHECK(ec != Errc::varint_overlong);
  CHECK(static_cast<bool>(ec));
  CHECK(ec.message() == "varint overflows 63 bits / 9 bytes");
  CHECK(std::string(ec.category().name()) == "weft");
  CHECK(ec != std::make_error_code(std::errc::value_too_large));

  const Error from_code(ec);
  CHECK(from_code == Errc::varint_overflow);
  CHECK(from_code.code() == ec);
  CHECK(from_code.detail().empty());

  ec = Errc::key_file_exists;
  CHECK(ec.message() == "key file already exists");
}

TEST_CASE("error: Result and BOOST_OUTCOME_TRY propagate the first error unchanged") {
  auto ok = parse_two_digits('4', '2');
  REQUIRE(ok.has_value());
  CHECK(ok.value() == 42);

  auto bad_first = parse_two_digits('x', 'y');
  REQUIRE(bad_first.has_error());
  CHECK(bad_first.error() == Error(Errc::hex_invalid_char, "'x'"));

  auto bad_second = parse_two_digits('1', 'y');
  REQUIRE(bad_second.has_error());
  CHECK(bad_second.error() == Error(Errc::hex_invalid_char, "'y'"));

  CHECK(check_positive(1).has_value());
  REQUIRE(check_positive(0).has_error());
  CHECK(check_positive(0).error() == Errc::varint_overflow);
}
