/* Stand-in for the Windows SDK's <setjmp.h> (x64): the jmp_buf that <intrin.h> declares its _setjmp with. */
#pragma once
typedef struct _SETJMP_FLOAT128 { unsigned __int64 Part[2]; } SETJMP_FLOAT128;
typedef SETJMP_FLOAT128 _JBTYPE;
typedef _JBTYPE jmp_buf[16];
