# The Debian package: `cpack -G DEB` in a build folder (packaging/package.sh does it all). The
# dependencies on Debian's LibTorch, Qt 6, yaml-cpp, libpng, zlib, libcurl, libarchive and the rest
# are found by dpkg-shlibdeps from the programs' own links, so they cannot go stale; OpenBLAS is
# named by hand, as LibTorch reaches it through the BLAS alternative rather than a link, and so are
# the CA certificates the first-run MNIST download over HTTPS needs (libcurl only recommends them).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gan-studio)
set(CPACK_PACKAGE_VENDOR "GAN Studio team")
set(CPACK_PACKAGE_CONTACT "GAN Studio team <team@ganstudio.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "train a GAN on handwritten digits and watch it learn")
set(CPACK_PACKAGE_DESCRIPTION "GAN Studio trains a generative adversarial network on MNIST and shows it \
learning: losses, the discriminator's verdicts, sample quality and generated digits, live. gan-train, \
gan-eval and gan-bench do the same from the command line, on a CUDA GPU or a cluster too.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "dataset-fashion-mnist")
# One package per Debian release (its LibTorch, Qt and the rest differ): 0.1.0-1+deb12, -1+deb13.
file(STRINGS /etc/os-release debian_version REGEX "^VERSION_ID=")
string(REGEX REPLACE "^VERSION_ID=\"?([0-9]+).*" "\\1" debian_version "${debian_version}")
if(debian_version)
  set(CPACK_DEBIAN_PACKAGE_RELEASE "1+deb${debian_version}")
endif()
# A build against libtorch-cuda-dev is its own package: it needs the CUDA libraries and cuDNN, which
# a CPU-only machine has no use for. Either one is "gan-studio" to whatever depends on it.
if(GAN_HAVE_CUDA)
  set(CPACK_PACKAGE_NAME gan-studio-cuda)
  set(CPACK_DEBIAN_PACKAGE_PROVIDES gan-studio)
  set(CPACK_DEBIAN_PACKAGE_CONFLICTS gan-studio)
  set(CPACK_DEBIAN_PACKAGE_REPLACES gan-studio)
  string(APPEND CPACK_PACKAGE_DESCRIPTION " This build trains on NVIDIA GPUs with CUDA.")
endif()
include(CPack)
