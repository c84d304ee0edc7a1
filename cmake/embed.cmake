# onestop_embed(OUT <file.cc> NAMESPACE <ns> NAME <symbol> FILES <f>...)
# Generates a .cc that defines `const std::vector<onestop::EmbeddedFile>& ns::name()` holding
# the files' bytes (name = file name without directory). Rebuilt when any file changes.
set(ONESTOP_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files.cmake)
function(onestop_embed)
  cmake_parse_arguments(E "" "OUT;NAMESPACE;NAME" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUT}
    COMMAND ${CMAKE_COMMAND} -DOUT=${E_OUT} -DNS=${E_NAMESPACE} -DNAME=${E_NAME}
            "-DFILES=${E_FILES}" -P ${ONESTOP_EMBED_SCRIPT}
    DEPENDS ${E_FILES} ${ONESTOP_EMBED_SCRIPT}
    COMMENT "Embedding ${E_NAME}"
    VERBATIM)
endfunction()
