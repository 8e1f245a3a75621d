#include "core/membership/group_table.h"

#include <algorithm>
#include <climits>

namespace mcr::membership {
namespace {

bool contains(const std::vector<IpAddress>& addresses, const IpAddress& address) {
  return std::find(addresses.begin(), addresses.end(), address) != addresses.end();
}

bool is_leave(const GroupRecord& record) {
  return record.type == RecordType::to_include && record.sources.empty();
}

}  // namespace

int64_t GroupEntry::expires_ns() const {
  int64_t latest = mode == FilterMode::exclude ? group_expires_ns : 0;
  for (const SourceEntry& source : sources) latest = std::max(latest, source.expires_ns);
  return latest;
}

GroupEntry& GroupTable::entry(const IpAddress& group, int64_t now_ns) {
  for (GroupEntry& existing : groups_) {
    if (existing.group == group) return existing;
  }
  GroupEntry created;
  created.group = group;
  created.compatibility_version = newest_version_;
  created.older_host_expires_ns = now_ns;
  groups_.push_back(created);
  return groups_.back();
}

void GroupTable::refresh_compatibility(GroupEntry& entry, int version, int64_t now_ns) const {
  if (version >= newest_version_) return;
  // RFC 3376 section 7.3.2: an older report puts the group in that version's mode for a while.
  entry.compatibility_version = std::min(entry.compatibility_version, version);
  entry.older_host_expires_ns = now_ns + timers_.older_version_present_interval_ns();
}

void GroupTable::refresh_sources(GroupEntry& entry, const std::vector<IpAddress>& sources, int64_t expires_ns) const {
  for (const IpAddress& source : sources) {
    auto found = std::find_if(entry.sources.begin(), entry.sources.end(),
                              [&](const SourceEntry& known) { return known.source == source; });
    if (found == entry.sources.end()) {
      entry.sources.push_back({source, expires_ns});
    } else {
      found->expires_ns = expires_ns;
    }
  }
  std::erase_if(entry.excluded_sources, [&](const IpAddress& excluded) { return contains(sources, excluded); });
}

bool GroupTable::lower_sources(GroupEntry& entry, const std::vector<IpAddress>& listed, bool listed_are_kept,
                               int64_t now_ns) const {
  bool lowered = false;
  const int64_t last_member_ns = now_ns + timers_.last_member_query_time_ns();
  for (SourceEntry& source : entry.sources) {
    if (contains(listed, source.source) != listed_are_kept && source.expires_ns > last_member_ns) {
      source.expires_ns = last_member_ns;
      lowered = true;
    }
  }
  return lowered;
}

// Returns true when the record asks for group-specific queries (a leave or a partial one).
bool GroupTable::apply_record(GroupEntry& entry, const GroupRecord& record, int64_t now_ns) {
  const int64_t membership_ns = now_ns + timers_.group_membership_interval_ns();
  // Older-version compatibility: sources are ignored and BLOCK means nothing (RFC 3376 7.3.2);
  // in version 1 mode leaves are ignored as well, since version 1 hosts never send them.
  const bool older = entry.compatibility_version < newest_version_;
  const std::vector<IpAddress> no_sources;
  const std::vector<IpAddress>& sources = older ? no_sources : record.sources;
  switch (record.type) {
    case RecordType::is_include:
    case RecordType::allow:
      refresh_sources(entry, sources, membership_ns);
      return false;
    case RecordType::is_exclude:
    case RecordType::to_exclude:
      entry.mode = FilterMode::exclude;
      entry.group_expires_ns = membership_ns;
      entry.excluded_sources = sources;
      std::erase_if(entry.sources, [&](const SourceEntry& known) { return contains(sources, known.source); });
      return false;
    case RecordType::block:
      if (older || entry.mode == FilterMode::exclude) return false;
      return lower_sources(entry, sources, false, now_ns);
    case RecordType::to_include: {
      if (entry.compatibility_version == 1) return false;
      refresh_sources(entry, sources, membership_ns);
      const int64_t last_member_ns = now_ns + timers_.last_member_query_time_ns();
      if (entry.mode == FilterMode::exclude) {
        entry.group_expires_ns = std::min(entry.group_expires_ns, last_member_ns);
        return true;
      }
      return lower_sources(entry, sources, true, now_ns);
    }
  }
  return false;
}

std::vector<IpAddress> GroupTable::apply_report(const Message& report, int64_t now_ns) {
  std::vector<IpAddress> queries;
  for (const GroupRecord& record : report.records) {
    if (!is_multicast(record.group)) continue;
    // A leave for a group nobody reported needs no state and no query.
    if (is_leave(record) && !has_member(record.group)) continue;
    GroupEntry& group = entry(record.group, now_ns);
    refresh_compatibility(group, report.version, now_ns);
    group.last_reporter = report.sender;
    if (apply_record(group, record, now_ns) && !contains(queries, record.group)) queries.push_back(record.group);
  }
  expire(now_ns);
  return queries;
}

void GroupTable::lower_group_timer(const IpAddress& group, int64_t now_ns) {
  const int64_t last_member_ns = now_ns + timers_.last_member_query_time_ns();
  for (GroupEntry& entry : groups_) {
    if (!(entry.group == group)) continue;
    if (entry.mode == FilterMode::exclude) entry.group_expires_ns = std::min(entry.group_expires_ns, last_member_ns);
    lower_sources(entry, {}, true, now_ns);
  }
}

void GroupTable::expire(int64_t now_ns) {
  for (GroupEntry& entry : groups_) {
    if (entry.compatibility_version < newest_version_ && entry.older_host_expires_ns <= now_ns) {
      entry.compatibility_version = newest_version_;
    }
    std::erase_if(entry.sources, [&](const SourceEntry& source) { return source.expires_ns <= now_ns; });
    if (entry.mode == FilterMode::exclude && entry.group_expires_ns <= now_ns) {
      entry.mode = FilterMode::include;  // RFC 3376 section 6.5: back to the sources still asked for
      entry.excluded_sources.clear();
    }
  }
  std::erase_if(groups_,
                [](const GroupEntry& entry) { return entry.mode == FilterMode::include && entry.sources.empty(); });
}

int64_t GroupTable::next_change_ns() const {
  int64_t next = INT64_MAX;
  for (const GroupEntry& entry : groups_) {
    if (entry.mode == FilterMode::exclude) next = std::min(next, entry.group_expires_ns);
    for (const SourceEntry& source : entry.sources) next = std::min(next, source.expires_ns);
    if (entry.compatibility_version < newest_version_) next = std::min(next, entry.older_host_expires_ns);
  }
  return next;
}

bool GroupTable::has_member(const IpAddress& group) const {
  return std::any_of(groups_.begin(), groups_.end(), [&](const GroupEntry& entry) { return entry.group == group; });
}

}  // namespace mcr::membership
