# Writes the project's targets with their sources and link edges to
# ${CMAKE_BINARY_DIR}/ikv_targets.json, for tools/lint/check_includes.py: a
# file may include only headers of its own target or of the targets whose
# usage requirements reach it through target_link_libraries. Every target
# gets the one include root (${PROJECT_SOURCE_DIR}, from ikv_common), so the
# compiler alone cannot tell a linked module's header from an unlinked one.
#
# Include this file last in the top-level CMakeLists.txt: it reads the
# targets as they are at the end of the configure.
include_guard(GLOBAL)

function(_ikv_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _ikv_collect_targets(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# A JSON array of the strings in list `items`.
function(_ikv_json_array out)
  set(json "[")
  set(sep "")
  foreach(item IN LISTS ARGN)
    string(REPLACE "\\" "\\\\" item "${item}")
    string(REPLACE "\"" "\\\"" item "${item}")
    string(APPEND json "${sep}\"${item}\"")
    set(sep ", ")
  endforeach()
  string(APPEND json "]")
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

function(ikv_write_target_graph path)
  _ikv_collect_targets(${PROJECT_SOURCE_DIR} targets)
  set(json "{\n  \"source_dir\": \"${PROJECT_SOURCE_DIR}\",\n  \"targets\": {")
  set(sep "\n")
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|INTERFACE_LIBRARY|OBJECT_LIBRARY)$")
      continue()
    endif()
    get_target_property(dir ${t} SOURCE_DIR)
    set(sources "")
    get_target_property(raw_sources ${t} SOURCES)
    if(raw_sources)
      foreach(s IN LISTS raw_sources)
        cmake_path(ABSOLUTE_PATH s BASE_DIRECTORY ${dir} NORMALIZE)
        list(APPEND sources ${s})
      endforeach()
    endif()
    set(links "")
    set(interface_links "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(links ${t} LINK_LIBRARIES)
    endif()
    get_target_property(interface_links ${t} INTERFACE_LINK_LIBRARIES)
    foreach(v links interface_links)
      if(NOT ${v})
        set(${v} "")
      endif()
    endforeach()
    _ikv_json_array(sources_json ${sources})
    _ikv_json_array(links_json ${links})
    _ikv_json_array(interface_json ${interface_links})
    string(APPEND json "${sep}    \"${t}\": {\"type\": \"${type}\", \"dir\": \"${dir}\", "
                       "\"sources\": ${sources_json}, \"links\": ${links_json}, "
                       "\"interface_links\": ${interface_json}}")
    set(sep ",\n")
  endforeach()
  string(APPEND json "\n  }\n}\n")
  file(WRITE ${path} "${json}")
endfunction()
