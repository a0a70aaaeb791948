# Desktop integration, installed with the programs: the desktop entry, AppStream metainfo, the icon
# (SVG, and PNGs rendered from it by rsvg-convert) and man pages (help2man, from each program's own
# --help and --version, so that they cannot disagree).
set(GAN_APP_ID org.ganstudio.GanStudio)
set(desktop_dir ${PROJECT_SOURCE_DIR}/resources/desktop)
set(icon_svg ${PROJECT_SOURCE_DIR}/resources/icons/${GAN_APP_ID}.svg)

if(GAN_BUILD_UI)
  install(FILES ${desktop_dir}/${GAN_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${desktop_dir}/${GAN_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${icon_svg} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

  find_program(RSVG_CONVERT rsvg-convert)
  if(RSVG_CONVERT)
    set(icon_pngs)
    foreach(size 16 24 32 48 64 128 256 512)
      set(png ${CMAKE_BINARY_DIR}/icons/${size}x${size}/${GAN_APP_ID}.png)
      add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons/${size}x${size}
        COMMAND ${RSVG_CONVERT} --width=${size} --height=${size} --output=${png} ${icon_svg}
        DEPENDS ${icon_svg} VERBATIM)
      list(APPEND icon_pngs ${png})
      install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
    add_custom_target(icons ALL DEPENDS ${icon_pngs})
  else()
    message(STATUS "rsvg-convert missing: no PNG icons (the SVG one is still installed)")
  endif()
endif()

# The sanitizer build's programs report LibTorch's leaks at exit, which help2man takes for failure.
find_program(HELP2MAN help2man)
if(HELP2MAN AND NOT GAN_SANITIZE AND NOT GAN_SANITIZE_THREAD)
  set(man_pages)
  foreach(tool gan-train gan-sweep gan-eval gan-bench gan-studio)
    if(TARGET ${tool})
      set(page ${CMAKE_BINARY_DIR}/man/${tool}.1)
      set(include ${PROJECT_SOURCE_DIR}/packaging/man/${tool}.h2m)
      add_custom_command(OUTPUT ${page}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
        COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
                ${HELP2MAN} --no-info --section=1 --include=${include} --output=${page} $<TARGET_FILE:${tool}>
        DEPENDS ${tool} ${include} VERBATIM)
      # Installed compressed, as Debian's man pages are; -n keeps the archive reproducible.
      add_custom_command(OUTPUT ${page}.gz COMMAND gzip -9 -n -f -k ${page} DEPENDS ${page} VERBATIM)
      list(APPEND man_pages ${page}.gz)
    endif()
  endforeach()
  add_custom_target(man ALL DEPENDS ${man_pages})
  install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
elseif(NOT HELP2MAN)
  message(STATUS "help2man missing: no man pages")
endif()
