// The layers' three matrix products on row-major Eigen matrices (dense or Map, contiguous rows):
//
//   multiply(c, a, b, bias)             c = a·b + 1·biasᵀ   (bias: c.cols() values or nullptr)
//   multiply_at_b(c, a, b, accumulate)  c = aᵀ·b            (c += aᵀ·b with accumulate)
//   multiply_a_bt(c, a, b, accumulate)  c = a·bᵀ            (c += a·bᵀ with accumulate)
//
// c must already have its size. The wasm SIMD build sends float products to the hand-written
// kernel (gemm.hpp), whose loop V8 compiles without spills; every other build (native, wasm
// without SIMD) and every double-precision product (gradient checks) keeps Eigen, whose native
// kernel is already good. Define TRAINSCOPE_GEMM_EIGEN to force Eigen everywhere.
#pragma once

#include <type_traits>

#include "../tensor.hpp"
#include "gemm.hpp"

#if defined(__wasm_simd128__) && !defined(TRAINSCOPE_GEMM_EIGEN)
#define TRAINSCOPE_GEMM_KERNEL 1
#else
#define TRAINSCOPE_GEMM_KERNEL 0
#endif

namespace trainscope {

namespace detail {
template <class M>
int stride_of(const M& m) {
  return static_cast<int>(m.outerStride());
}
template <class C, class A, class B>
kernels::GemmShape gemm_shape(bool ta, bool tb, const C& c, const A& a, const B& b) {
  const Index k = ta ? a.rows() : a.cols();
  return {ta, tb, static_cast<int>(c.rows()), static_cast<int>(c.cols()), static_cast<int>(k),
          stride_of(a), stride_of(b), stride_of(c)};
}
template <class C>
constexpr bool uses_kernel() {
  return TRAINSCOPE_GEMM_KERNEL && std::is_same_v<typename std::decay_t<C>::Scalar, float>;
}
}  // namespace detail

template <class C, class A, class B>
void multiply(C&& c, const A& a, const B& b, const typename std::decay_t<C>::Scalar* bias = nullptr) {
  using T = typename std::decay_t<C>::Scalar;
  if constexpr (detail::uses_kernel<C>()) {
    kernels::sgemm(detail::gemm_shape(false, false, c, a, b), a.data(), b.data(), c.data(), bias);
  } else {
    c.noalias() = a * b;
    if (bias) c.rowwise() += Eigen::Map<const RowVector<T>>(bias, c.cols());
  }
}

template <class C, class A, class B>
void multiply_at_b(C&& c, const A& a, const B& b, bool accumulate = false) {
  if constexpr (detail::uses_kernel<C>()) {
    kernels::sgemm(detail::gemm_shape(true, false, c, a, b), a.data(), b.data(), c.data(), nullptr, accumulate);
  } else if (accumulate) {
    c.noalias() += a.transpose() * b;
  } else {
    c.noalias() = a.transpose() * b;
  }
}

template <class C, class A, class B>
void multiply_a_bt(C&& c, const A& a, const B& b, bool accumulate = false) {
  if constexpr (detail::uses_kernel<C>()) {
    kernels::sgemm(detail::gemm_shape(false, true, c, a, b), a.data(), b.data(), c.data(), nullptr, accumulate);
  } else if (accumulate) {
    c.noalias() += a * b.transpose();
  } else {
    c.noalias() = a * b.transpose();
  }
}

}  // namespace trainscope
