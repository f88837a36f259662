// ValidationCompletion (include/weft/topic_validation.hpp): copies share one answer, only the
// first answer counts, the last copy's end answers ignore when nobody answered, a moved-from
// completion does nothing; answers may come from any thread.

#include <weft/topic_validation.hpp>

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace weft {
namespace {

/// Records each answer the completion reports.
struct Answers {
  std::vector<ValidationResult> got;
  ValidationCompletion make() {
    return ValidationCompletion([this](ValidationResult r) { got.push_back(r); });
  }
};

}  // namespace

TEST_CASE("validation completion: the first answer counts, from any copy; later ones do nothing") {
  Answers answers;
  {
    ValidationCompletion done = answers.make();
    const ValidationCompletion copy = done;
    CHECK_FALSE(done.completed());
    copy(ValidationResult::reject);
    CHECK(done.completed());
    CHECK(copy.completed());
    done(ValidationResult::accept);
  }
  CHECK(answers.got == std::vector<ValidationResult>{ValidationResult::reject});  // no ignore at the end either
}

TEST_CASE("validation completion: the last copy destroyed unanswered answers ignore, once") {
  Answers answers;
  {
    ValidationCompletion done = answers.make();
    {
      const ValidationCompletion copy = done;
    }
    CHECK(answers.got.empty());  // a copy is still alive
  }
  CHECK(answers.got == std::vector<ValidationResult>{ValidationResult::ignore});
}

TEST_CASE("validation completion: a moved-from completion does nothing; the moved-to one answers") {
  Answers answers;
  ValidationCompletion done = answers.make();
  ValidationCompletion moved = std::move(done);
  done(ValidationResult::reject);  // NOLINT(bugprone-use-after-move): the contract under test
  CHECK(done.completed());
  CHECK(answers.got.empty());
  moved(ValidationResult::accept);
  CHECK(answers.got == std::vector<ValidationResult>{ValidationResult::accept});
}

TEST_CASE("validation completion: an answer from another thread") {
  Answers answers;
  ValidationCompletion done = answers.make();
  std::thread other([copy = done] { copy(ValidationResult::ignore); });
  other.join();
  CHECK(done.completed());
  CHECK(answers.got == std::vector<ValidationResult>{ValidationResult::ignore});
}

TEST_CASE("validation result names") {
  CHECK(std::string(to_string(ValidationResult::accept)) == "accept");
  CHECK(std::string(to_string(ValidationResult::reject)) == "reject");
  CHECK(std::string(to_string(ValidationResult::ignore)) == "ignore");
}

}  // namespace weft
