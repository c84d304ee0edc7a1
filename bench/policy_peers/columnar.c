/* The yardstick for the OneStop matcher: a plain columnar loop in C. Facts are column arrays;
 * every item's condition tree is evaluated for every enterprise, straightforwardly (short
 * circuit, no leaf sharing, no bitmaps). Same semantics as policy::Evaluate: a leaf on a missing
 * fact or a fact of another type is false, `not` of it true.
 *
 * Input is the flat form that `policy_gen --flat` writes from the neutral files (so no JSON
 * parser is timed here). Prints "<id> <count>" per item and the match time on stderr.
 *   columnar POLICIES.flat ENTERPRISES.flat [threads]
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { T_MISSING = 0, T_NUM = 1, T_STR = 2, T_BOOL = 3 };
enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_PF, OP_BT };
enum { K_ALL, K_ANY, K_NOT, K_LEAF };
#define STR_MAX 24

typedef struct {
  unsigned char type;
  double num;
  char str[STR_MAX];
} Val;

typedef struct {
  int kind, nchild, first_child; /* children: indexes into child[] */
  int col, op, nvals, first_val; /* leaf: values in vals[] */
} Node;

static int ncols, nrows;
static unsigned char** ctype; /* [col][row] */
static double** cnum;
static char (**cstr)[STR_MAX];

static Node* nodes;
static int nnodes, cap_nodes;
static int* child;
static int nchildren, cap_children;
static Val* vals;
static int nvals, cap_vals;

static void* grow(void* p, int* cap, int need, size_t size) {
  if (need <= *cap) return p;
  while (*cap < need) *cap = *cap ? *cap * 2 : 1024;
  p = realloc(p, (size_t)*cap * size);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return p;
}

static void copy_str(char* dst, const char* src) {
  size_t n = strlen(src);
  if (n > STR_MAX - 1) n = STR_MAX - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
}

static int read_val(FILE* f, Val* v) {
  char tok[64];
  if (fscanf(f, "%63s", tok) != 1) return 0;
  memset(v, 0, sizeof *v);
  if (tok[0] == 'n') {
    v->type = T_NUM;
    v->num = strtod(tok + 2, NULL);
  } else if (tok[0] == 's') {
    v->type = T_STR;
    copy_str(v->str, tok + 2);
  } else {
    v->type = T_BOOL;
    v->num = tok[2] == '1';
  }
  return 1;
}

static int parse_node(FILE* f) {
  char kind[8];
  if (fscanf(f, "%7s", kind) != 1) exit(2);
  nodes = grow(nodes, &cap_nodes, nnodes + 1, sizeof(Node));
  int id = nnodes++;
  Node n = {0};
  if (kind[0] == 'A' || kind[0] == 'O' || kind[0] == 'N') {
    n.kind = kind[0] == 'A' ? K_ALL : kind[0] == 'O' ? K_ANY : K_NOT;
    if (n.kind == K_NOT) {
      n.nchild = 1;
    } else if (fscanf(f, "%d", &n.nchild) != 1) {
      exit(2);
    }
    int kids[64];
    for (int i = 0; i < n.nchild; ++i) kids[i] = parse_node(f);
    child = grow(child, &cap_children, nchildren + n.nchild, sizeof(int));
    n.first_child = nchildren;
    for (int i = 0; i < n.nchild; ++i) child[nchildren++] = kids[i];
  } else {
    n.kind = K_LEAF;
    if (fscanf(f, "%d %d %d", &n.col, &n.op, &n.nvals) != 3) exit(2);
    vals = grow(vals, &cap_vals, nvals + n.nvals, sizeof(Val));
    n.first_val = nvals;
    for (int i = 0; i < n.nvals; ++i) read_val(f, &vals[nvals++]);
  }
  nodes[id] = n;
  return id;
}

static int same(const Val* v, int row, int col) {
  unsigned char t = ctype[col][row];
  if (t != v->type) return 0;
  if (t == T_STR) return strcmp(cstr[col][row], v->str) == 0;
  return cnum[col][row] == v->num;
}

static int eval(int id, int row) {
  const Node* n = &nodes[id];
  switch (n->kind) {
    case K_ALL:
      for (int i = 0; i < n->nchild; ++i)
        if (!eval(child[n->first_child + i], row)) return 0;
      return 1;
    case K_ANY:
      for (int i = 0; i < n->nchild; ++i)
        if (eval(child[n->first_child + i], row)) return 1;
      return 0;
    case K_NOT:
      return !eval(child[n->first_child], row);
  }
  unsigned char t = ctype[n->col][row];
  if (t == T_MISSING || n->nvals == 0) return 0;
  const Val* v = &vals[n->first_val];
  double x = cnum[n->col][row];
  switch (n->op) {
    case OP_EQ:
      return same(v, row, n->col);
    case OP_NE:
      return t == v->type && !same(v, row, n->col);
    case OP_LT:
      return t == T_NUM && v->type == T_NUM && x < v->num;
    case OP_LE:
      return t == T_NUM && v->type == T_NUM && x <= v->num;
    case OP_GT:
      return t == T_NUM && v->type == T_NUM && x > v->num;
    case OP_GE:
      return t == T_NUM && v->type == T_NUM && x >= v->num;
    case OP_IN:
      for (int i = 0; i < n->nvals; ++i)
        if (same(&v[i], row, n->col)) return 1;
      return 0;
    case OP_PF:
      return t == T_STR && v->type == T_STR &&
             strncmp(cstr[n->col][row], v->str, strlen(v->str)) == 0;
    case OP_BT:
      return t == T_NUM && n->nvals == 2 && v[0].type == T_NUM && v[1].type == T_NUM &&
             v[0].num <= x && x <= v[1].num;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: columnar POLICIES.flat ENTERPRISES.flat [threads]\n");
    return 1;
  }
  if (argc > 3) omp_set_num_threads(atoi(argv[3]));
  FILE* e = fopen(argv[2], "r");
  if (!e || fscanf(e, "columns %d rows %d", &ncols, &nrows) != 2) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  ctype = calloc(ncols, sizeof *ctype);
  cnum = calloc(ncols, sizeof *cnum);
  cstr = calloc(ncols, sizeof *cstr);
  for (int c = 0; c < ncols; ++c) {
    ctype[c] = calloc(nrows, 1);
    cnum[c] = calloc(nrows, sizeof(double));
    cstr[c] = calloc(nrows, STR_MAX);
  }
  for (int r = 0; r < nrows; ++r) {
    for (int c = 0; c < ncols; ++c) {
      char tok[64];
      if (fscanf(e, "%63s", tok) != 1) return 2;
      if (tok[0] == '~') continue;
      if (tok[0] == 'n') {
        ctype[c][r] = T_NUM;
        cnum[c][r] = strtod(tok + 2, NULL);
      } else if (tok[0] == 's') {
        ctype[c][r] = T_STR;
        copy_str(cstr[c][r], tok + 2);
      } else {
        ctype[c][r] = T_BOOL;
        cnum[c][r] = tok[2] == '1';
      }
    }
  }
  fclose(e);

  FILE* p = fopen(argv[1], "r");
  int nitems;
  if (!p || fscanf(p, "items %d", &nitems) != 1) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  char(*ids)[32] = calloc(nitems, 32);
  int* roots = calloc(nitems, sizeof(int));
  for (int i = 0; i < nitems; ++i) {
    if (fscanf(p, "%31s", ids[i]) != 1) return 2;
    roots[i] = parse_node(p);
  }
  fclose(p);

  long* counts = calloc(nitems, sizeof(long));
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
#pragma omp parallel for schedule(dynamic, 16)
  for (int i = 0; i < nitems; ++i) {
    long c = 0;
    for (int r = 0; r < nrows; ++r) c += eval(roots[i], r);
    counts[i] = c;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
  for (int i = 0; i < nitems; ++i) printf("%s %ld\n", ids[i], counts[i]);
  fprintf(stderr, "timing items=%d enterprises=%d match_ms=%.3f threads=%d\n", nitems, nrows, ms,
          omp_get_max_threads());
  return 0;
}
