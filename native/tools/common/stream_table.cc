// Stream lookup for mcrsink: a one-entry cache in front of a hash map.
#include "common/stream_table.h"

namespace mcr::tools {

StreamStats* StreamTable::find_or_add(uint32_t stream_id) {
  if (last_ != nullptr && last_->stream_id == stream_id) return last_;
  if (auto found = by_id_.find(stream_id); found != by_id_.end()) {
    last_ = found->second;
    return last_;
  }
  if (streams_.size() >= kMaxStreams) return nullptr;
  streams_.push_back(std::make_unique<StreamStats>(stream_id, start_seq_));
  last_ = streams_.back().get();
  by_id_.emplace(stream_id, last_);
  return last_;
}

}  // namespace mcr::tools
