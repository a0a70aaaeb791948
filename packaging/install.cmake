# Install layout (the Debian package builds on this): programs in bin/, presets in share/gan-studio.
include(GNUInstallDirs)
install(TARGETS gan-train gan-eval gan-bench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(GAN_BUILD_UI)
  install(TARGETS gan-studio RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/presets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/gan-studio/presets
        FILES_MATCHING PATTERN "*.yaml")
