# Helpers shared by every Baton target, in the spirit of Qt Creator's add_qtc_library.

function(baton_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
    if(BATON_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# baton_add_test(NAME tst_foo SOURCES tst_foo.cpp [LIBS ...] [GUI] [TIMEOUT s])
# One Qt Test executable per unit, registered with ctest. GUI tests run on the offscreen platform.
function(baton_add_test)
    cmake_parse_arguments(ARG "GUI" "NAME;TIMEOUT" "SOURCES;LIBS" ${ARGN})
    add_executable(${ARG_NAME} ${ARG_SOURCES})
    target_link_libraries(${ARG_NAME} PRIVATE Qt6::Test baton_core ${ARG_LIBS})
    target_compile_definitions(${ARG_NAME} PRIVATE
        BATON_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
        BATON_EXECUTABLE="$<TARGET_FILE:baton>")
    baton_set_warnings(${ARG_NAME})
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
    # OpenMP threads that spin while they wait starve everything else on a 2-core machine.
    # A developer's own LLM key must not make the pipeline tests call a real model, nor their
    # Kaggle token make DATA_SOURCE search the real Kaggle (tests that need one set their own).
    set(env "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=baton.*.debug=false;OMP_WAIT_POLICY=PASSIVE;OPENROUTER_API_KEY=")
    list(APPEND env "KAGGLE_USERNAME=" "KAGGLE_KEY=" "KAGGLE_CONFIG_DIR=${CMAKE_BINARY_DIR}/no-kaggle-config")
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${ARG_NAME} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${ARG_TIMEOUT})
endfunction()
