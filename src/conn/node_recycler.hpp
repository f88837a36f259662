#pragma once
// Keeps the nodes of a node-based standard container (std::unordered_map, std::map,
// std::set) that entries are erased from, and hands them back for the next insert, so that
// a steady insert/erase cycle (a lease per call on a warm pool) does not allocate. A kept
// node keeps its old value, and with it any capacity inside (a PeerId's bytes): assigning
// the new value into it reuses that capacity too.
//
// At most kMaxSpare nodes are kept; more erased at once are freed as usual. Not
// thread-safe: one per container, used with it.

#include <cstddef>
#include <utility>
#include <vector>

namespace weft::conn {

template <class Container, std::size_t kMaxSpare = 32>
class NodeRecycler {
 public:
  using node_type = typename Container::node_type;

  /// Erases `it` from `container`, keeping its node for a later take().
  void erase(Container& container, typename Container::const_iterator it) { keep(container.extract(it)); }

  /// A kept node (its old key and value still in it: overwrite both), or an empty one
  /// when none is kept (then construct the entry the usual way).
  node_type take() {
    if (spare_.empty()) return {};
    node_type node = std::move(spare_.back());
    spare_.pop_back();
    return node;
  }

  /// Keeps `node` (no effect when it is empty or kMaxSpare are kept already).
  void keep(node_type node) {
    if (node.empty() || spare_.size() >= kMaxSpare) return;
    if (spare_.capacity() == 0) spare_.reserve(kMaxSpare);  // one allocation, ever
    spare_.push_back(std::move(node));
  }

  std::size_t spare() const noexcept { return spare_.size(); }

 private:
  std::vector<node_type> spare_;
};

}  // namespace weft::conn
