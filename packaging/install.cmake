# Install layout (the Debian package builds on this): programs in bin/, presets in share/gan-studio.
include(GNUInstallDirs)
install(TARGETS gan-train gan-sweep gan-eval gan-bench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(GAN_BUILD_UI)
  install(TARGETS gan-studio RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/presets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/gan-studio/presets
        FILES_MATCHING PATTERN "*.yaml")
# onnxruntime-web's WebAssembly build, which a generator's web export copies beside its page
# (packaging/onnxruntime_web.sh fetched it into the build tree).
install(DIRECTORY ${PROJECT_BINARY_DIR}/share/gan-studio/onnxruntime-web/ DESTINATION ${CMAKE_INSTALL_DATADIR}/gan-studio/onnxruntime-web
        OPTIONAL)
# Example sweeps for gan-sweep (docs/guide.md, "Tuning with sweeps").
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/sweeps/ DESTINATION ${CMAKE_INSTALL_DATADIR}/gan-studio/sweeps
        FILES_MATCHING PATTERN "*.yaml")
# The cluster templates (docs/guide.md, "On a cluster"), to copy and adapt.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/packaging/slurm/gan-train.sbatch ${PROJECT_SOURCE_DIR}/packaging/slurm/sweep.sbatch
        DESTINATION ${CMAKE_INSTALL_DATADIR}/gan-studio/slurm)
# The user guide with its screenshots and the documents it links to, as docs/ lays them out.
set(doc_dir ${CMAKE_INSTALL_DATADIR}/doc/gan-studio)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${doc_dir})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${doc_dir}/docs FILES_MATCHING PATTERN "*.md" PATTERN "*.png")
