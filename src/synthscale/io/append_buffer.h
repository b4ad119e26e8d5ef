// AppendBuffer (internal to io/): a growable array whose push_back inlines to a compare
// and a store. The CSV reader appends every parsed value to one; std::vector's push_back
// is not inlined by GCC 12 at -O3 in that loop (its reallocation path is too big), which
// cost a call per value.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>

namespace synthscale::csv_internal {

template <typename T>
class AppendBuffer {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  [[gnu::always_inline]] void push_back(T value) {
    if (size_ == capacity_) Grow(size_ + 1);
    data_[size_++] = value;
  }
  void append(const T* values, std::size_t count) {
    if (size_ + count > capacity_) Grow(size_ + count);
    if (count > 0) std::memcpy(data_.get() + size_, values, count * sizeof(T));
    size_ += count;
  }
  void clear() { size_ = 0; }  // keeps the memory for the next chunk
  std::size_t size() const { return size_; }
  const T* data() const { return data_.get(); }
  const T& operator[](std::size_t idx) const { return data_[idx]; }

 private:
  [[gnu::noinline]] void Grow(std::size_t needed) {
    const std::size_t capacity = std::max({needed, 2 * capacity_, std::size_t{256}});
    std::unique_ptr<T[]> grown = std::make_unique_for_overwrite<T[]>(capacity);
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_ * sizeof(T));
    data_ = std::move(grown);
    capacity_ = capacity;
  }

  std::unique_ptr<T[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace synthscale::csv_internal
